use serde::Deserialize;

use super::{ApplicationInfo, Domains, Event, RequestInfo, WorkflowInfo};
use crate::Trigger;

/// `user:new_username_provided`: a user chose a username.
///
/// Kinde documents this trigger only through `@kinde/infrastructure`'s types, which
/// give `context.auth.suppliedUsername`.
///
/// ```
/// use kinde_workflow::events::{Event, NewUsernameProvided};
///
/// let event = NewUsernameProvided::from_json(r#"{
///   "request": {"ip": "192.168.0.1", "userAgent": "Mozilla/5.0"},
///   "context": {
///     "auth": {"suppliedUsername": "ada_lovelace"},
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "workflow": {"trigger": "user:new_username_provided"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.auth.supplied_username, "ada_lovelace");
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewUsernameProvided {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// The username chosen.
    pub context: NewUsernameContext,
}

/// `context` of [`NewUsernameProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewUsernameContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The username.
    pub auth: NewUsernameAuth,
    /// The application signed in to.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.auth` of [`NewUsernameProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewUsernameAuth {
    /// The username the user entered.
    pub supplied_username: String,
}

impl Event for NewUsernameProvided {
    const TRIGGER: Trigger = Trigger::NewUsernameProvided;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_username_is_required() {
        let err = NewUsernameProvided::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"auth":{"username":"a"}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.auth.suppliedUsername`: missing field"
        );
    }
}
