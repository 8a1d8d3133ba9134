use serde::Deserialize;

use super::{Domains, Event, TokenRequestInfo, WorkflowInfo};
use crate::Trigger;

/// `m2m:token_generation`: a machine-to-machine token is about to be issued.
///
/// Use [`Host::set_m2m_token_claim`](crate::Host::set_m2m_token_claim) to add claims
/// (Kinde refuses changes when the Management API is the audience).
///
/// ```
/// use kinde_workflow::events::{Event, M2mTokenGeneration};
///
/// let event = M2mTokenGeneration::from_json(r#"{
///   "request": {"auth": {"audience": ["https://api.example.com"], "scope": ["read:users"]},
///               "ip": "192.168.0.1"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "application": {"clientId": "299627bd8bfa493f8b17e6aec8ebfb86"},
///     "workflow": {"trigger": "m2m:token_generation"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.application.client_id, "299627bd8bfa493f8b17e6aec8ebfb86");
/// assert_eq!(event.request.auth.scope, ["read:users"]);
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct M2mTokenGeneration {
    /// The token request.
    #[serde(default)]
    pub request: TokenRequestInfo,
    /// The M2M application.
    pub context: M2mTokenGenerationContext,
}

/// `context` of [`M2mTokenGeneration`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct M2mTokenGenerationContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The M2M application asking for the token.
    pub application: M2mApplication,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.application` of [`M2mTokenGeneration`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct M2mApplication {
    /// The M2M application's client id.
    pub client_id: String,
}

impl Event for M2mTokenGeneration {
    const TRIGGER: Trigger = Trigger::M2mTokenGeneration;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_application_is_required() {
        let err = M2mTokenGeneration::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"application":{"clientId":7}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.application.clientId`: invalid type: integer, expected a string"
        );
    }
}
