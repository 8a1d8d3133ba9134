//! Short circuits: events the generated shim answers without starting the Rust module.
//!
//! Declared on the workflow, e.g.
//! `#[workflow(..., short_circuit(when = "context.auth.hasUserRecordInKinde",
//! resolve = r#"{"outcome":"already_in_kinde"}"#))]`. The shim tests the path before
//! it instantiates the module, which is the costly part of an execution in Kinde's
//! runtime. The Rust function must give the same answer for those events (natively it
//! is still called for them); [`ShortCircuit::answers`] lets a test check it.

use serde_json::Value;

/// A short circuit declared by `#[workflow(short_circuit(...))]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShortCircuit {
    /// The event's keys leading to the tested value, e.g. `["context", "auth",
    /// "hasUserRecordInKinde"]`.
    pub when: &'static [&'static str],
    /// The JSON the workflow resolves with when the value is `true`.
    pub resolve: &'static str,
}

impl ShortCircuit {
    /// Whether the shim answers `event` (a JSON event as Kinde passes it) itself: the
    /// value at [`when`](Self::when) is exactly `true`.
    pub fn applies_to(&self, event: &Value) -> bool {
        self.when
            .iter()
            .try_fold(event, |value, key| value.get(key))
            .is_some_and(|value| *value == Value::Bool(true))
    }

    /// The value the shim resolves with.
    pub fn resolved(&self) -> Value {
        serde_json::from_str(self.resolve).expect("#[workflow] checked that `resolve` is JSON")
    }

    /// Whether `result`, what the Rust function resolved with for an event this short
    /// circuit applies to, is the value the shim resolves with.
    pub fn answers<T: serde::Serialize>(&self, result: &T) -> bool {
        serde_json::to_value(result).is_ok_and(|value| value == self.resolved())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SKIP: ShortCircuit = ShortCircuit {
        when: &["context", "auth", "done"],
        resolve: r#"{"outcome":"skipped"}"#,
    };

    #[test]
    fn applies_only_to_true_at_the_path() {
        assert!(SKIP.applies_to(&json!({"context": {"auth": {"done": true}}})));
        for event in [
            json!({"context": {"auth": {"done": false}}}),
            json!({"context": {"auth": {"done": "true"}}}),
            json!({"context": {"auth": {"done": 1}}}),
            json!({"context": {"auth": {}}}),
            json!({"context": null}),
            json!([]),
        ] {
            assert!(!SKIP.applies_to(&event), "{event}");
        }
    }

    #[test]
    fn answers_compares_as_json() {
        #[derive(serde::Serialize)]
        struct Outcome {
            outcome: &'static str,
        }
        assert!(SKIP.answers(&Outcome { outcome: "skipped" }));
        assert!(!SKIP.answers(&Outcome { outcome: "other" }));
        assert_eq!(SKIP.resolved(), json!({"outcome": "skipped"}));
    }
}
