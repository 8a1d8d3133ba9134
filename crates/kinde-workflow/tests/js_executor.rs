//! The executor the shim drives (`kindeRun`, `kindeAwait`/`kindeResume`,
//! `kindeWake`/`kindePoll`), under Node with `wasm-bindgen-test-runner`. The fake
//! bindings (see `support`) call the entry points as the generated shim does.

#![cfg(target_arch = "wasm32")]

mod support;

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use kinde_workflow::{executor, Host};
use serde_json::json;
use support::{answer, Fake};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// Both futures, polled together on every poll (as `futures::join!` does).
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut first, mut second) = (None, None);
    poll_fn(|context| {
        if first.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(context) {
                first = Some(value);
            }
        }
        if second.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(context) {
                second = Some(value);
            }
        }
        match (first.take(), second.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (first, second) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

/// An environment variable's value as the run's result.
async fn env_value(host: &impl Host, name: &str) -> Result<String, String> {
    let var = host.env(name).await.map_err(|e| e.to_string())?;
    Ok(var.map_or_else(|| "unset".to_owned(), |var| var.value().to_owned()))
}

#[wasm_bindgen_test]
fn a_run_whose_bindings_answer_at_once_ends_in_its_first_poll() {
    let fake = Fake::new(json!({ "kindeEnv": answer("value", "0at once") }));
    let host = fake.host();
    let answer = executor::start(fake.bindings.clone(), async move {
        env_value(&host, "A").await.map(JsValue::from)
    });
    assert_eq!(answer.unwrap().as_string().as_deref(), Some("at once"));
    assert!(fake.awaited().is_empty() && fake.woken().is_empty());
}

#[wasm_bindgen_test]
async fn a_run_waiting_on_a_promise_ends_when_the_shim_resumes_it() {
    let fake = Fake::new(json!({ "kindeEnv": answer("later", "1later value") }));
    let host = fake.host();
    let answer = executor::start(fake.bindings.clone(), async move {
        env_value(&host, "A").await.map(JsValue::from)
    });
    assert!(
        answer.unwrap().is_undefined(),
        "a waiting run answers undefined"
    );
    assert_eq!(fake.awaited().len(), 1);

    let result = fake.ended().await.unwrap();
    assert_eq!(result.as_string().as_deref(), Some("later value"));
    assert!(fake.woken().is_empty(), "a resume polls the run itself");
}

#[wasm_bindgen_test]
async fn a_rejected_promise_reaches_the_run_as_the_binding_error() {
    let fake = Fake::new(json!({ "kindeEnv": answer("rejectLater", "no such thing") }));
    let host = fake.host();
    let answer = executor::start(fake.bindings.clone(), async move {
        env_value(&host, "A").await.map(JsValue::from)
    });
    assert!(answer.unwrap().is_undefined());

    let error = fake.ended().await.unwrap_err();
    assert_eq!(
        error.as_string().as_deref(),
        Some("`kinde.env` failed: no such thing")
    );
}

#[wasm_bindgen_test]
async fn two_promises_awaited_at_once_each_reach_their_own_future() {
    // The environment answers after 5 ms, the localization at once: the second
    // Promise settles first.
    let fake = Fake::new(json!({
        "kindeEnv": answer("later", "0from env"),
        "kindeLocalization": answer("promise", "\"from localization\""),
    }));
    let host = fake.host();
    let answer = executor::start(fake.bindings.clone(), async move {
        let (env, text) = both(env_value(&host, "A"), host.localization("k")).await;
        let text = text.map_err(|e| e.to_string())?.unwrap_or_default();
        Ok(JsValue::from(format!("{} / {text}", env?)))
    });
    assert!(answer.unwrap().is_undefined());
    let awaited = fake.awaited();
    assert_eq!(awaited.len(), 2);
    assert_ne!(awaited[0], awaited[1], "each Promise has its own slot");

    let result = fake.ended().await.unwrap();
    assert_eq!(
        result.as_string().as_deref(),
        Some("from env / from localization")
    );
}

#[wasm_bindgen_test]
async fn a_run_woken_by_a_future_from_elsewhere_asks_the_shim_for_a_poll() {
    // A JS Promise awaited through wasm-bindgen-futures, not through a binding: its
    // callback wakes the run outside any call of the shim's.
    let fake = Fake::new(json!({}));
    let later = js_sys::Promise::resolve(&JsValue::from("from elsewhere"));
    let answer = executor::start(fake.bindings.clone(), async move {
        let value = JsFuture::from(later)
            .await
            .map_err(|_| "rejected".to_owned())?;
        Ok(value)
    });
    assert!(answer.unwrap().is_undefined());

    let result = fake.ended().await.unwrap();
    assert_eq!(result.as_string().as_deref(), Some("from elsewhere"));
    assert_eq!(fake.woken().len(), 1, "one kindeWake for one wake");
}

#[wasm_bindgen_test]
async fn runs_waiting_at_the_same_time_end_independently() {
    let slow = Fake::new(json!({ "kindeEnv": answer("later", "0slow") }));
    let fast = Fake::new(json!({ "kindeEnv": answer("promise", "0fast") }));
    let (slow_host, fast_host) = (slow.host(), fast.host());
    let first = executor::start(slow.bindings.clone(), async move {
        env_value(&slow_host, "A").await.map(JsValue::from)
    });
    let second = executor::start(fast.bindings.clone(), async move {
        env_value(&fast_host, "A").await.map(JsValue::from)
    });
    assert!(first.unwrap().is_undefined() && second.unwrap().is_undefined());

    let fast_result = fast.ended().await.unwrap();
    let slow_result = slow.ended().await.unwrap();
    assert_eq!(fast_result.as_string().as_deref(), Some("fast"));
    assert_eq!(slow_result.as_string().as_deref(), Some("slow"));
}

#[wasm_bindgen_test]
fn resuming_a_slot_nobody_waits_on_is_an_error_naming_it() {
    let error = executor::resume(4_000_000, true, JsValue::NULL).unwrap_err();
    assert_eq!(
        error.as_string().as_deref(),
        Some("kindeResume: no Promise is awaited in slot 4000000")
    );
}
