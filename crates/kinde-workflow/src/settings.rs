//! Workflow settings: what Kinde reads from `workflowSettings` when it syncs a repo.
//!
//! Settings are declared once, in Rust, with the [`workflow`](crate::workflow) attribute.
//! `cargo kinde build` writes them into the generated `Workflow.ts`.

use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+ }
        what = $what:literal;
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $( $(#[$vmeta])* $variant, )+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name Kinde uses.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The Rust variant's name, as written in `#[workflow(...)]`.
            pub const fn variant_name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant),)+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| UnknownName {
                        what: $what,
                        name: s.to_owned(),
                        known: Self::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }
    };
}

string_enum! {
    /// The event that starts a workflow. Kinde allows one workflow per trigger.
    pub enum Trigger {
        /// Before ID and access tokens are issued.
        TokensGeneration = "user:tokens_generation",
        /// Before the user is asked for a second factor.
        PreMfa = "user:pre_mfa",
        /// After the user has authenticated.
        PostAuthentication = "user:post_authentication",
        /// Before an M2M token is issued.
        M2mTokenGeneration = "m2m:token_generation",
        /// An existing user entered their password.
        ExistingPasswordProvided = "user:existing_password_provided",
        /// A user set a new password.
        NewPasswordProvided = "user:new_password_provided",
        /// A user selected a plan.
        PlanSelection = "user:plan_selection",
        /// A user asked to cancel a plan.
        PlanCancellationRequest = "user:plan_cancellation_request",
        /// Before a new user is registered.
        PreRegistration = "user:pre_registration",
        /// A user chose a new username.
        NewUsernameProvided = "user:new_username_provided",
    }
    what = "trigger";
}

string_enum! {
    /// A host capability a workflow must declare in its settings before it may use it.
    pub enum Binding {
        /// `kinde.fetch`: outbound HTTP.
        Fetch = "kinde.fetch",
        /// `kinde.secureFetch`: outbound HTTP with the body encrypted by the workflow's key.
        SecureFetch = "kinde.secureFetch",
        /// `kinde.env`: environment variables.
        Env = "kinde.env",
        /// `kinde.widget`: form-field errors on Kinde's sign-in widget.
        Widget = "kinde.widget",
        /// `kinde.auth`: deny access.
        Auth = "kinde.auth",
        /// `kinde.cache`: the M2M token cache `createKindeAPI` uses (not in Kinde's types).
        Cache = "kinde.cache",
        /// `kinde.ssoSession`: SSO session policy.
        SsoSession = "kinde.ssoSession",
        /// `kinde.idToken`: custom ID token claims.
        IdToken = "kinde.idToken",
        /// `kinde.accessToken`: custom access token claims.
        AccessToken = "kinde.accessToken",
        /// `kinde.m2mToken`: custom M2M token claims.
        M2mToken = "kinde.m2mToken",
        /// `kinde.mfa`: MFA enforcement policy.
        Mfa = "kinde.mfa",
        /// `kinde.localization`: localised strings.
        Localization = "kinde.localization",
        /// `kinde.plan`: plan selection and cancellation decisions (not in Kinde's types).
        Plan = "kinde.plan",
        /// `url`: the `URL` and `URLSearchParams` globals.
        Url = "url",
        /// `console`: workflow logs.
        Console = "console",
    }
    what = "binding";
}

/// A name that is not one of Kinde's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}`; known: {}", known.join(", "))]
pub struct UnknownName {
    what: &'static str,
    name: String,
    known: Vec<&'static str>,
}

/// What Kinde does when the workflow fails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailurePolicy {
    /// Stop the sign-in (Kinde's default).
    #[default]
    Stop,
    /// Log the failure and let the sign-in continue.
    Continue,
}

impl FailurePolicy {
    /// The `failurePolicy.action` value Kinde uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            FailurePolicy::Stop => "stop",
            FailurePolicy::Continue => "continue",
        }
    }
}

/// A workflow's settings, as the [`workflow`](crate::workflow) attribute declares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkflowSettings {
    /// Unique id within the Kinde environment.
    pub id: &'static str,
    /// Name shown in the Kinde dashboard.
    pub name: &'static str,
    /// The event that runs the workflow.
    pub trigger: Trigger,
    /// What happens when the workflow fails.
    pub failure_policy: FailurePolicy,
    /// Host capabilities the workflow may use.
    pub bindings: &'static [Binding],
}

impl WorkflowSettings {
    /// Whether `binding` is declared.
    pub fn declares(&self, binding: Binding) -> bool {
        self.bindings.contains(&binding)
    }

    /// The `workflowSettings` object Kinde reads, as JSON.
    pub fn to_json(&self) -> String {
        let mut bytes = vec![0; self.json_len()];
        self.write_json(&mut bytes);
        String::from_utf8(bytes).expect("settings JSON is built from UTF-8 strings")
    }

    /// Length in bytes of [`WorkflowSettings::to_json`]; usable in constants.
    pub const fn json_len(&self) -> usize {
        let mut nothing: [u8; 0] = [];
        self.write_json(&mut nothing)
    }

    /// [`WorkflowSettings::to_json`] as a byte array, computed at compile time by the
    /// code `#[workflow]` generates, which stores it in the `.wasm` for `cargo kinde`.
    ///
    /// # Panics
    /// When `N` is not [`WorkflowSettings::json_len`].
    pub const fn json_bytes<const N: usize>(&self) -> [u8; N] {
        let mut bytes = [0; N];
        assert!(
            self.write_json(&mut bytes) == N,
            "json_bytes: N must be json_len()"
        );
        bytes
    }

    /// Writes as much of the JSON as fits in `out`; returns its full length.
    const fn write_json(&self, out: &mut [u8]) -> usize {
        let mut w = JsonWriter { out, len: 0 };
        w.raw("{\"id\":");
        w.string(self.id);
        w.raw(",\"name\":");
        w.string(self.name);
        w.raw(",\"trigger\":");
        w.string(self.trigger.as_str());
        w.raw(",\"failurePolicy\":{\"action\":");
        w.string(self.failure_policy.as_str());
        w.raw("},\"bindings\":{");
        let mut i = 0;
        while i < self.bindings.len() {
            if i > 0 {
                w.raw(",");
            }
            w.string(self.bindings[i].as_str());
            w.raw(":{}");
            i += 1;
        }
        w.raw("}}");
        w.len
    }
}

/// A JSON writer usable in `const fn`: counts every byte, stores those that fit.
struct JsonWriter<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl JsonWriter<'_> {
    const fn byte(&mut self, b: u8) {
        if self.len < self.out.len() {
            self.out[self.len] = b;
        }
        self.len += 1;
    }

    const fn raw(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            self.byte(bytes[i]);
            i += 1;
        }
    }

    const fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = s.as_bytes();
        self.byte(b'"');
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' || b == b'\\' {
                self.byte(b'\\');
                self.byte(b);
            } else if b < 0x20 {
                self.raw("\\u00");
                self.byte(HEX[(b >> 4) as usize]);
                self.byte(HEX[(b & 0xf) as usize]);
            } else {
                self.byte(b);
            }
            i += 1;
        }
        self.byte(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_known_ones() {
        for trigger in Trigger::ALL {
            assert_eq!(trigger.as_str().parse::<Trigger>().unwrap(), *trigger);
        }
        assert_eq!(Trigger::ALL.len(), 10);
        let err = "user:signed_in".parse::<Trigger>().unwrap_err().to_string();
        assert!(err.starts_with("unknown trigger `user:signed_in`; known: user:tokens_generation"));
        assert!("kinde.fetch".parse::<Binding>().is_ok());
        assert!("kinde.fetc".parse::<Binding>().is_err());
    }

    const SETTINGS_WITH_QUOTES: WorkflowSettings = WorkflowSettings {
        id: "q",
        name: "say \"hi\"\\\n",
        trigger: Trigger::PreMfa,
        failure_policy: FailurePolicy::Stop,
        bindings: &[],
    };

    #[test]
    fn settings_serialize_as_kinde_reads_them() {
        let settings = WorkflowSettings {
            id: "w",
            name: "W",
            trigger: Trigger::ExistingPasswordProvided,
            failure_policy: FailurePolicy::Continue,
            bindings: &[Binding::Fetch, Binding::Console],
        };
        assert_eq!(
            settings.to_json(),
            r#"{"id":"w","name":"W","trigger":"user:existing_password_provided","failurePolicy":{"action":"continue"},"bindings":{"kinde.fetch":{},"console":{}}}"#
        );
        const LEN: usize = SETTINGS_WITH_QUOTES.json_len();
        const BYTES: [u8; LEN] = SETTINGS_WITH_QUOTES.json_bytes::<LEN>();
        let parsed: serde_json::Value = serde_json::from_slice(&BYTES).unwrap();
        assert_eq!(parsed["name"], "say \"hi\"\\\n");
        assert_eq!(parsed["bindings"], serde_json::json!({}));
        assert!(settings.declares(Binding::Fetch));
        assert!(!settings.declares(Binding::Env));
    }
}
