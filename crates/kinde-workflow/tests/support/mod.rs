//! Shared by the wasm32 bridge tests: a bindings object built in JavaScript.
//!
//! Each fake binding records its call (`name`, the arguments as JS saw them and their
//! `typeof`, and whether `this` was the bindings object) and answers as the test's spec says: with a value,
//! a Promise of it, by throwing, or by rejecting.

#![allow(dead_code)] // each test crate uses part of this

use std::panic::PanicHookInfo;
use std::sync::OnceLock;

use kinde_workflow::js::{Bindings, JsHost};
use kinde_workflow::{Binding, Error};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const METHODS = [
  "kindeFetch", "kindeSecureFetch", "kindeEnv", "kindeManagementApi",
  "kindeInvalidateFormField", "kindeDenyAccess", "kindeLog", "kindePanic",
  "kindeSetIdTokenClaim", "kindeSetAccessTokenClaim", "kindeSetM2mTokenClaim",
  "kindeIdTokenClaims", "kindeAccessTokenClaims", "kindeM2mTokenClaims",
  "kindeSetMfaEnforcementPolicy", "kindeDenyPlanSelection", "kindeDenyPlanCancellation",
  "kindeLocalization", "kindeM2mToken",
];

export function makeBindings(spec) {
  const answers = JSON.parse(spec);
  const bindings = { calls: [] };
  for (const name of METHODS) {
    bindings[name] = function (...args) {
      bindings.calls.push({ name, args, types: args.map((arg) => typeof arg), self: this === bindings });
      const answer = answers[name];
      if (answer === undefined) return undefined;
      switch (answer.how) {
        case "value": return answer.value;
        case "promise": return Promise.resolve(answer.value);
        case "later": return new Promise((resolve) => setTimeout(() => resolve(answer.value), 5));
        case "throw": throw new Error(answer.value);
        case "throwValue": throw answer.value;
        case "reject": return Promise.reject(new Error(answer.value));
        case "rejectLater":
          return new Promise((_, reject) => setTimeout(() => reject(new TypeError(answer.value)), 5));
        case "rejectValue": return Promise.reject(answer.value);
        default: throw new Error(`bad test spec for ${name}: ${JSON.stringify(answer)}`);
      }
    };
  }
  return bindings;
}

export function recordedCalls(bindings) {
  return JSON.stringify(bindings.calls);
}

export function catchThrown(f) {
  try {
    f();
    return undefined;
  } catch (e) {
    return String(e);
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = makeBindings)]
    fn make_bindings(spec: &str) -> Bindings;

    #[wasm_bindgen(js_name = recordedCalls)]
    fn recorded_calls(bindings: &Bindings) -> String;

    #[wasm_bindgen(js_name = catchThrown)]
    pub fn catch_thrown(f: &mut dyn FnMut()) -> Option<String>;
}

pub type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The test runner's panic hook, which reports a failing assertion's message.
static RUNNER_HOOK: OnceLock<Hook> = OnceLock::new();

pub fn runner_hook() -> &'static Hook {
    RUNNER_HOOK.get_or_init(std::panic::take_hook)
}

/// Puts the runner's hook back after `JsHost::enter` (inside `js::run`) replaced it.
pub fn restore_runner_hook() {
    let runner = runner_hook();
    std::panic::set_hook(Box::new(move |info| runner(info)));
}

/// A bindings object built in JS, answering as `spec` says.
pub struct Fake {
    pub bindings: Bindings,
}

impl Fake {
    pub fn new(spec: Value) -> Self {
        Self {
            bindings: make_bindings(&spec.to_string()),
        }
    }

    /// `JsHost::enter`, keeping the runner's panic hook so failures stay readable.
    pub fn host(&self) -> JsHost {
        let runner = runner_hook();
        let host = JsHost::enter(self.bindings.clone());
        let bridge = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            bridge(info);
            runner(info);
        }));
        host
    }

    /// Every call so far as `{name, args, self}`.
    pub fn calls(&self) -> Vec<Value> {
        let calls: Value = serde_json::from_str(&recorded_calls(&self.bindings)).unwrap();
        let calls = calls.as_array().unwrap().clone();
        for call in &calls {
            assert_eq!(call["self"], true, "binding called without `this`: {call}");
        }
        calls
    }

    /// The arguments of the only call, which must be to `name`.
    pub fn only_call(&self, name: &str) -> Vec<Value> {
        let calls = self.calls();
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert_eq!(calls[0]["name"], name);
        calls[0]["args"].as_array().unwrap().clone()
    }
}

/// A binding's answer: `how` is one of the cases in `makeBindings`.
pub fn answer(how: &str, value: impl Into<Value>) -> Value {
    json!({ "how": how, "value": value.into() })
}

pub fn expect_binding_error(err: Error, binding: Binding, message: &str) {
    let shown = err.to_string();
    match err {
        Error::Binding {
            binding: actual,
            message: actual_message,
        } => {
            assert_eq!(actual, binding, "{shown}");
            assert_eq!(actual_message, message, "{shown}");
            assert_eq!(shown, format!("`{binding}` failed: {message}"));
        }
        other => panic!("expected a binding error, got {other:?}"),
    }
}
