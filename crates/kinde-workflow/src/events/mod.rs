//! Typed trigger events.
//!
//! Unknown fields are ignored, so a Kinde release that adds fields breaks nothing; a
//! missing or mistyped required field is an [`Error::InvalidEvent`] naming its JSON path.

//! | trigger | event type |
//! | --- | --- |
//! | `user:tokens_generation` | [`TokensGeneration`] |
//! | `user:pre_mfa` | [`PreMfa`] |
//! | `user:post_authentication` | [`PostAuthentication`] |
//! | `m2m:token_generation` | [`M2mTokenGeneration`] |
//! | `user:existing_password_provided` | [`ExistingPasswordProvided`] |
//! | `user:new_password_provided` | [`NewPasswordProvided`] |
//! | `user:plan_selection` | [`PlanSelection`] |
//! | `user:plan_cancellation_request` | [`PlanCancellationRequest`] |
//! | `user:pre_registration` | [`PreRegistration`] |
//! | `user:new_username_provided` | [`NewUsernameProvided`] |
//!
//! Field names and requirements follow Kinde's documentation; where
//! `@kinde/infrastructure`'s types spell a field differently both spellings are read.

mod authentication;
mod existing_password;
mod m2m_token;
mod new_password;
mod new_username;
mod plan;
mod pre_mfa;
mod tokens;

pub use authentication::{
    PostAuthentication, PostAuthenticationAuth, PostAuthenticationContext, PreRegistration,
    PreRegistrationContext,
};
pub use existing_password::{
    ExistingPasswordAuth, ExistingPasswordContext, ExistingPasswordProvided,
};
pub use m2m_token::{M2mApplication, M2mTokenGeneration, M2mTokenGenerationContext};
pub use new_password::{
    NewPasswordAuth, NewPasswordContext, NewPasswordProvided, NewPasswordReason, NewPasswordUser,
};
pub use new_username::{NewUsernameAuth, NewUsernameContext, NewUsernameProvided};
pub use plan::{
    CancellationBilling, PlanCancellationContext, PlanCancellationRequest, PlanSelection,
    PlanSelectionContext, SelectionBilling,
};
pub use pre_mfa::{MfaContext, MfaPolicy, MfaSettings, PreMfa, PreMfaContext};
pub use tokens::{TokenAuth, TokenUser, TokensGeneration, TokensGenerationContext};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::{Error, Trigger};

/// An event Kinde passes to a workflow.
pub trait Event: DeserializeOwned {
    /// The trigger that produces this event.
    const TRIGGER: Trigger;

    /// Parses the event from the JSON Kinde sends.
    ///
    /// ```
    /// use kinde_workflow::events::{Event, ExistingPasswordProvided};
    ///
    /// let err = ExistingPasswordProvided::from_json(r#"{"context":{"auth":{}}}"#).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid event at `context.auth.providedEmail`: missing field"
    /// );
    /// ```
    fn from_json(json: &str) -> Result<Self, Error> {
        crate::json::from_str(json).map_err(Error::invalid_event)
    }
}

/// `request`: the end user's HTTP request.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RequestInfo {
    /// The end user's IP address.
    #[serde(default)]
    pub ip: Option<String>,
    /// The end user's user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// `context.domains`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Domains {
    /// The environment's Kinde domain, e.g. `https://example.kinde.com`.
    pub kinde_domain: String,
}

/// `context.workflow`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowInfo {
    /// The trigger that ran the workflow.
    #[serde(default)]
    pub trigger: Option<String>,
}

/// `context.application`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInfo {
    /// The client id of the application the user signs in to.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// `context.user`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The Kinde user id.
    #[serde(default)]
    pub id: Option<String>,
}

/// `context.organization`: the organization the user signs in to, when there is one.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationInfo {
    /// The organization code, e.g. `org_123456789`.
    #[serde(default)]
    pub code: Option<String>,
}

/// `context.auth` of events that only name the connection used.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInfo {
    /// The id of the authentication connection, e.g. `conn_0194…`.
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// `request` of sign-in flow events: the end user's request and its auth URL parameters.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FlowRequestInfo {
    /// The end user's IP address.
    #[serde(default)]
    pub ip: Option<String>,
    /// The end user's user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Parameters of the authorization URL that started the flow.
    #[serde(default)]
    pub auth_url_params: Option<AuthUrlParams>,
}

/// `request.authUrlParams`: what the application put in the authorization URL.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuthUrlParams {
    /// The OAuth `state`.
    #[serde(default)]
    pub state: Option<String>,
    /// The requested organization code.
    #[serde(default)]
    pub org_code: Option<String>,
    /// The application's client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Where the user returns after authentication.
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

/// `request` of token generation events.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestInfo {
    /// The caller's IP address.
    #[serde(default)]
    pub ip: Option<String>,
    /// The caller's user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// The audiences and scopes asked for.
    #[serde(default)]
    pub auth: TokenRequestAuth,
}

/// `request.auth` of token generation events.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestAuth {
    /// The requested audiences (APIs).
    #[serde(default)]
    pub audience: Vec<String>,
    /// The requested scopes (M2M tokens).
    #[serde(default)]
    pub scope: Vec<String>,
}

/// `context.user` when Kinde always sends the user id.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KnownUser {
    /// The Kinde user id, e.g. `kp_1234567890`.
    pub id: String,
}
