//! Shared by the wasm32 bridge tests: a bindings object built in JavaScript.
//!
//! Each fake binding records its call (`name`, the arguments as JS saw them and their
//! `typeof`, and whether `this` was the bindings object) and answers as the test's spec says: with a value,
//! a Promise of it, by throwing, or by rejecting.
//!
//! `kindeAwait` and `kindeWake` do what the generated shim does: they call the
//! executor's `kindeResume`/`kindePoll` when the Promise settles, and `ended` is a
//! Promise of the run's end (`[true, result]` or `[false, error]`). Their calls are kept
//! apart from the bindings' (`awaited`, `woken`).

#![allow(dead_code)] // each test crate uses part of this

use std::panic::PanicHookInfo;
use std::sync::OnceLock;

use kinde_workflow::executor;
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

export function makeBindings(spec, resume, poll) {
  const answers = JSON.parse(spec);
  const bindings = { calls: [], awaited: [], woken: [] };
  let end;
  bindings.ended = new Promise((resolve) => { end = resolve; });
  // `resume` and `poll` answer `[true, answer]`, or `[false, error]` when the call threw.
  const step = (call) => {
    let answer;
    try {
      answer = call();
    } catch (error) {
      answer = [false, String(error)];
    }
    if (!answer[0] || answer[1] !== undefined) end(answer);
  };
  bindings.kindeAwait = (slot, promise) => {
    bindings.awaited.push(slot);
    promise.then((value) => step(() => resume(slot, true, value)), (error) => step(() => resume(slot, false, error)));
  };
  bindings.kindeWake = (task) => {
    bindings.woken.push(task);
    Promise.resolve().then(() => step(() => poll(task)));
  };
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

export function awaitedSlots(bindings) {
  return JSON.stringify(bindings.awaited);
}

export function wokenTasks(bindings) {
  return JSON.stringify(bindings.woken);
}

export function ended(bindings) {
  return bindings.ended;
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
    fn make_bindings(spec: &str, resume: &JsValue, poll: &JsValue) -> Bindings;

    #[wasm_bindgen(js_name = recordedCalls)]
    fn recorded_calls(bindings: &Bindings) -> String;

    #[wasm_bindgen(js_name = awaitedSlots)]
    fn awaited_slots(bindings: &Bindings) -> String;

    #[wasm_bindgen(js_name = wokenTasks)]
    fn woken_tasks(bindings: &Bindings) -> String;

    #[wasm_bindgen(js_name = ended)]
    fn ended(bindings: &Bindings) -> js_sys::Promise;

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

/// An executor entry point's answer as `[true, answer]`, or `[false, message]`.
fn answered(answer: Result<JsValue, JsValue>) -> JsValue {
    match answer {
        Ok(value) => js_sys::Array::of2(&JsValue::TRUE, &value).into(),
        Err(error) => js_sys::Array::of2(&JsValue::FALSE, &error).into(),
    }
}

thread_local! {
    /// `executor::resume` and `executor::poll` as JS functions, made once.
    static ENTRY_POINTS: (JsValue, JsValue) = (
        Closure::<dyn Fn(u32, bool, JsValue) -> JsValue>::new(|slot, ok, value| {
            answered(executor::resume(slot, ok, value))
        })
        .into_js_value(),
        Closure::<dyn Fn(u32) -> JsValue>::new(|task| answered(executor::poll(task))).into_js_value(),
    );
}

/// A bindings object built in JS, answering as `spec` says.
pub struct Fake {
    pub bindings: Bindings,
}

impl Fake {
    pub fn new(spec: Value) -> Self {
        let bindings =
            ENTRY_POINTS.with(|(resume, poll)| make_bindings(&spec.to_string(), resume, poll));
        Self { bindings }
    }

    /// The slots `kindeAwait` was called with, in order.
    pub fn awaited(&self) -> Vec<u32> {
        serde_json::from_str(&awaited_slots(&self.bindings)).unwrap()
    }

    /// The tasks `kindeWake` was called with, in order.
    pub fn woken(&self) -> Vec<u32> {
        serde_json::from_str(&woken_tasks(&self.bindings)).unwrap()
    }

    /// Waits for the end of the run started with these bindings, as the shim sees
    /// it: `Ok(result)`, or `Err(error)` when an entry point threw.
    pub async fn ended(&self) -> Result<JsValue, JsValue> {
        let answer = wasm_bindgen_futures::JsFuture::from(ended(&self.bindings))
            .await
            .unwrap();
        let answer = js_sys::Array::from(&answer);
        if answer.get(0).is_truthy() {
            Ok(answer.get(1))
        } else {
            Err(answer.get(1))
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
