//! `JsHost::enter`'s panic hook, under Node with `wasm-bindgen-test-runner`.
//!
//! Its own test crate (so its own wasm instance): after a panic traps, std considers the
//! thread still panicking and `std::panic::set_hook`, which every `JsHost::enter` calls,
//! would itself panic. The generated shim likewise drops an instance once it has trapped.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{catch_thrown, Fake};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn a_panic_reaches_kinde_panic_with_message_and_location() {
    let fake = Fake::new(json!({}));
    // Keeps the runner's hook after the bridge's, so a failing assertion stays readable.
    let _host = fake.host();
    // A formatted message (a `String` payload), a literal (`&str`), and neither.
    let thrown = [
        catch_thrown(&mut || panic!("kaboom {}", 7)),
        catch_thrown(&mut || panic!("static kaboom")),
        catch_thrown(&mut || std::panic::panic_any(42_u8)),
    ];

    for thrown in &thrown {
        let thrown = thrown
            .as_deref()
            .expect("a panic did not surface as a JS exception");
        assert!(thrown.contains("unreachable"), "{thrown}");
    }
    let calls = fake.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    let expected = [
        "workflow panicked: kaboom 7 (at ",
        "workflow panicked: static kaboom (at ",
        "workflow panicked: a non-string payload (at ",
    ];
    for (call, expected) in calls.iter().zip(expected) {
        assert_eq!(call["name"], "kindePanic");
        let args = call["args"].as_array().unwrap();
        assert_eq!(args.len(), 1);
        let message = args[0].as_str().unwrap();
        assert!(
            message.starts_with(expected)
                && message.contains("js_panic.rs:")
                && message.ends_with(')')
                && !message.contains('\n'),
            "{message}"
        );
    }
}
