use serde::Deserialize;

use super::{ApplicationInfo, Domains, Event, RequestInfo, WorkflowInfo};
use crate::{Secret, Trigger};

/// `user:new_password_provided`: a user entered a new password, at sign-up or in a reset.
///
/// Refuse it with
/// [`Host::invalidate_form_field`](crate::Host::invalidate_form_field) on
/// `p_first_password` or `p_second_password`.
///
/// ```
/// use kinde_workflow::events::{Event, NewPasswordProvided, NewPasswordReason};
///
/// let event = NewPasswordProvided::from_json(r#"{
///   "request": {"ip": "192.168.0.1", "userAgent": "Mozilla/5.0"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "auth": {"firstPassword": "correct horse", "secondPassword": "correct horse",
///              "newPasswordReason": "reset"},
///     "user": {"id": "kp_1234566", "email": "hello@example.com"},
///     "workflow": {"trigger": "user:new_password_provided"}
///   }
/// }"#).unwrap();
/// let auth = &event.context.auth;
/// assert_eq!(auth.new_password_reason, NewPasswordReason::Reset);
/// assert!(auth.passwords_match());
/// assert_eq!(format!("{:?}", auth.first_password), "Secret([redacted])");
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewPasswordProvided {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// The new password and whose it is.
    pub context: NewPasswordContext,
}

/// `context` of [`NewPasswordProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewPasswordContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The passwords entered.
    pub auth: NewPasswordAuth,
    /// The user, as far as Kinde knows them.
    #[serde(default)]
    pub user: NewPasswordUser,
    /// The application signed in to.
    #[serde(default)]
    pub application: ApplicationInfo,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
}

/// `context.auth` of [`NewPasswordProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewPasswordAuth {
    /// The password entered in the first field (`p_first_password`).
    pub first_password: Secret,
    /// The confirmation (`p_second_password`).
    pub second_password: Secret,
    /// Why a new password is being set.
    pub new_password_reason: NewPasswordReason,
}

impl NewPasswordAuth {
    /// Whether both fields hold the same password.
    pub fn passwords_match(&self) -> bool {
        self.first_password == self.second_password
    }
}

/// `context.auth.newPasswordReason`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NewPasswordReason {
    /// A password reset.
    Reset,
    /// The first password, at registration.
    Initial,
}

/// `context.user` of [`NewPasswordProvided`].
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NewPasswordUser {
    /// The Kinde user id (only in reset flows: at sign-up the user does not exist yet).
    #[serde(default)]
    pub id: Option<String>,
    /// The e-mail address the user gave.
    #[serde(default)]
    pub email: Option<String>,
}

impl Event for NewPasswordProvided {
    const TRIGGER: Trigger = Trigger::NewPasswordProvided;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(auth: &str) -> String {
        format!(r#"{{"context":{{"domains":{{"kindeDomain":"https://x"}},"auth":{auth}}}}}"#)
    }

    #[test]
    fn a_password_of_the_wrong_type_is_refused_without_echoing_it() {
        let err = NewPasswordProvided::from_json(&event(
            r#"{"firstPassword":12345678,"secondPassword":"b","newPasswordReason":"initial"}"#,
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("invalid event at `context.auth.firstPassword`"),
            "{err}"
        );
        assert!(!err.contains("12345678"), "{err}");
    }

    #[test]
    fn debug_output_hides_both_passwords() {
        let event = NewPasswordProvided::from_json(&event(
            r#"{"firstPassword":"pw-one","secondPassword":"pw-two","newPasswordReason":"initial"}"#,
        ))
        .unwrap();
        let shown = format!("{event:?}");
        assert!(
            !shown.contains("pw-one") && !shown.contains("pw-two"),
            "{shown}"
        );
        assert!(!event.context.auth.passwords_match());
        assert_eq!(event.context.user, NewPasswordUser::default());
    }
}
