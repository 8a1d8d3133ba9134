//! A panic in a run resumed after a Promise settled, under Node with
//! `wasm-bindgen-test-runner`: the trap is thrown from `kindeResume` to the shim's
//! call, so the run ends with it instead of hanging. Its own test crate (so its own
//! wasm instance), for the reason `js_panic.rs` gives.

#![cfg(target_arch = "wasm32")]

mod support;

use kinde_workflow::{executor, Host};
use serde_json::json;
use support::{answer, Fake};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn a_panic_after_a_wait_ends_the_run_and_reaches_kinde_panic() {
    let fake = Fake::new(json!({ "kindeEnv": answer("later", "0x") }));
    let host = fake.host();
    let answer = executor::start(fake.bindings.clone(), async move {
        let found = host.env("A").await.is_ok();
        panic!("after the wait ({found})");
    });
    assert!(answer.unwrap().is_undefined());

    let thrown = fake.ended().await.unwrap_err().as_string().unwrap();
    assert!(thrown.contains("unreachable"), "{thrown}");
    let panics: Vec<_> = fake
        .calls()
        .into_iter()
        .filter(|call| call["name"] == "kindePanic")
        .collect();
    assert_eq!(panics.len(), 1, "{panics:?}");
    let message = panics[0]["args"][0].as_str().unwrap();
    assert!(
        message.starts_with("workflow panicked: after the wait (true) (at ")
            && message.contains("js_panic_after_await.rs:"),
        "{message}"
    );
}
