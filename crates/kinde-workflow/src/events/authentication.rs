use serde::Deserialize;

use super::{
    ApplicationInfo, ConnectionInfo, Domains, Event, FlowRequestInfo, KnownUser, WorkflowInfo,
};
use crate::Trigger;

/// `user:post_authentication`: the user completed the first factor (before organization
/// access and MFA are checked).
///
/// ```
/// use kinde_workflow::events::{Event, PostAuthentication};
///
/// let event = PostAuthentication::from_json(r#"{
///   "request": {"ip": "203.0.113.9", "userAgent": "Mozilla/5.0",
///               "authUrlParams": {"state": "b9ea", "orgCode": "org_12345667",
///                                 "clientId": "cad2d86b", "redirectUri": "http://localhost:3000"}},
///   "context": {
///     "auth": {"connectionId": "conn_0194ee03", "isNewUserRecordCreated": true},
///     "user": {"id": "kp_6e54d9612e8748b39557c9975bdba033"},
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "workflow": {"trigger": "user:post_authentication"},
///     "application": {"clientId": "cad2d86b"}
///   }
/// }"#).unwrap();
/// assert!(event.context.auth.is_new_user_record_created);
/// assert_eq!(event.request.auth_url_params.unwrap().org_code.as_deref(), Some("org_12345667"));
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthentication {
    /// The end user's request.
    #[serde(default)]
    pub request: FlowRequestInfo,
    /// The authenticated user.
    pub context: PostAuthenticationContext,
}

/// `context` of [`PostAuthentication`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationContext {
    /// The environment's domains.
    pub domains: Domains,
    /// How the user authenticated.
    pub auth: PostAuthenticationAuth,
    /// The authenticated user.
    pub user: KnownUser,
    /// The application signed in to.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.auth` of [`PostAuthentication`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationAuth {
    /// The connection the user authenticated with.
    #[serde(default)]
    pub connection_id: Option<String>,
    /// Whether Kinde created the user record in this sign-in (a first-time user).
    pub is_new_user_record_created: bool,
}

impl Event for PostAuthentication {
    const TRIGGER: Trigger = Trigger::PostAuthentication;
}

/// `user:pre_registration`: the user completed the first factor and Kinde is about to
/// create their record.
///
/// ```
/// use kinde_workflow::events::{Event, PreRegistration};
///
/// let event = PreRegistration::from_json(r#"{
///   "request": {"ip": "203.0.113.9", "userAgent": "Mozilla/5.0",
///               "authUrlParams": {"state": "b9ea", "clientId": "cad2d86b"}},
///   "context": {
///     "auth": {"connectionId": "conn_0194ee03c226d48c6858d5a412359ed2"},
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "workflow": {"trigger": "user:pre_registration"},
///     "application": {"clientId": "cad2d86b"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.request.ip.as_deref(), Some("203.0.113.9"));
/// assert_eq!(
///     event.context.auth.connection_id.as_deref(),
///     Some("conn_0194ee03c226d48c6858d5a412359ed2")
/// );
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PreRegistration {
    /// The end user's request.
    #[serde(default)]
    pub request: FlowRequestInfo,
    /// The registration.
    pub context: PreRegistrationContext,
}

/// `context` of [`PreRegistration`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PreRegistrationContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The connection the user authenticated with.
    #[serde(default)]
    pub auth: ConnectionInfo,
    /// The application registered with.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

impl Event for PreRegistration {
    const TRIGGER: Trigger = Trigger::PreRegistration;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_authentication_requires_the_new_user_flag() {
        let err = PostAuthentication::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"auth":{},"user":{"id":"kp_1"}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.auth.isNewUserRecordCreated`: missing field"
        );
    }

    #[test]
    fn pre_registration_needs_only_the_domain() {
        let event =
            PreRegistration::from_json(r#"{"context":{"domains":{"kindeDomain":"https://x"}}}"#)
                .unwrap();
        assert_eq!(event.request, FlowRequestInfo::default());
        let err = PreRegistration::from_json(r#"{"context":{}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.domains`: missing field"
        );
    }
}
