//! The workflow on its example event, natively (`cargo test`) and under Node
//! (`cargo test --target wasm32-unknown-unknown`, with wasm-bindgen-test-runner).

use kinde_workflow::events::{Event, ExistingPasswordProvided};
use kinde_workflow::testing::{block_on, MemoryHost};
use kinde_workflow::LogLevel;
use my_workflow::{ my_workflow, WORKFLOW_SETTINGS };

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The example event (`cargo kinde run` and the emulator use it too).
const EVENT: &str = include_str!("../events/user_existing_password_provided.json");

#[test]
fn the_sign_in_is_logged_without_the_password() {
    let event = ExistingPasswordProvided::from_json(EVENT).unwrap();
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    block_on(my_workflow(event, &host)).unwrap();
    let logs = host.logs();
    assert_eq!(
        logs,
        vec![(
            LogLevel::Info,
            "sign-in by hello@example.com (already in Kinde: false)".to_owned()
        )]
    );
    assert!(!format!("{logs:?}").contains("example-password"));
}
