use serde::Deserialize;

use super::{ApplicationInfo, Domains, Event, OrganizationInfo, TokenRequestInfo, WorkflowInfo};
use crate::Trigger;

/// `user:tokens_generation`: ID and access tokens are about to be issued to a user
/// (after a sign-in or sign-up, a silent re-authentication, or a refresh).
///
/// Use [`Host::set_access_token_claim`](crate::Host::set_access_token_claim) and
/// [`Host::set_id_token_claim`](crate::Host::set_id_token_claim) to add claims.
///
/// ```
/// use kinde_workflow::events::{Event, TokensGeneration};
///
/// let event = TokensGeneration::from_json(r#"{
///   "request": {"auth": {"audience": ["https://api.example.com"]}, "ip": "192.168.0.1"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "auth": {"origin": "refresh_token_request", "isExistingSession": false,
///              "connectionId": "conn_12345"},
///     "application": {"clientId": "299627bd8bfa493f8b17e6aec8ebfb86"},
///     "user": {"id": "kp_1234567890", "identityId": "identity_123456789"},
///     "organization": {"code": "org_123456789"},
///     "workflow": {"trigger": "user:tokens_generation"}
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.user.id, "kp_1234567890");
/// assert!(event.context.auth.is_refresh());
/// assert_eq!(event.request.auth.audience, ["https://api.example.com"]);
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokensGeneration {
    /// The token request.
    #[serde(default)]
    pub request: TokenRequestInfo,
    /// Who the tokens are for.
    pub context: TokensGenerationContext,
}

/// `context` of [`TokensGeneration`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokensGenerationContext {
    /// The environment's domains.
    pub domains: Domains,
    /// How the user authenticated.
    #[serde(default)]
    pub auth: TokenAuth,
    /// The user the tokens are for.
    pub user: TokenUser,
    /// The organization the user authorized against, if any.
    #[serde(default)]
    pub organization: Option<OrganizationInfo>,
    /// The application the tokens are for.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.auth` of [`TokensGeneration`].
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenAuth {
    /// `authorization_request` or `refresh_token_request`.
    #[serde(default)]
    pub origin: Option<String>,
    /// Whether the user was already signed in (no credentials were asked for).
    #[serde(default)]
    pub is_existing_session: Option<bool>,
    /// The id of the connection the user authenticated with.
    #[serde(default)]
    pub connection_id: Option<String>,
}

impl TokenAuth {
    /// Whether the tokens are issued for a refresh token request.
    pub fn is_refresh(&self) -> bool {
        self.origin.as_deref() == Some("refresh_token_request")
    }
}

/// `context.user` of [`TokensGeneration`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenUser {
    /// The Kinde user id.
    pub id: String,
    /// The identity the user authenticated with.
    #[serde(default)]
    pub identity_id: Option<String>,
}

impl Event for TokensGeneration {
    const TRIGGER: Trigger = Trigger::TokensGeneration;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_id_is_required() {
        let err = TokensGeneration::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"user":{}}}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.user.id`: missing field"
        );
    }

    #[test]
    fn optional_parts_default() {
        let event = TokensGeneration::from_json(
            r#"{"context":{"domains":{"kindeDomain":"https://x"},"user":{"id":"kp_1"}}}"#,
        )
        .unwrap();
        assert_eq!(event.context.organization, None);
        assert!(!event.context.auth.is_refresh());
        assert!(event.request.auth.audience.is_empty());
    }
}
