use serde::Deserialize;

use super::{ApplicationInfo, Domains, Event, RequestInfo, UserInfo, WorkflowInfo};
use crate::{Secret, Trigger};

/// `user:existing_password_provided`: a user entered the password of an existing account.
///
/// ```
/// use kinde_workflow::events::{Event, ExistingPasswordProvided};
///
/// let event = ExistingPasswordProvided::from_json(r#"{
///   "request": {"ip": "203.0.113.7", "userAgent": "Mozilla/5.0"},
///   "context": {
///     "domains": {"kindeDomain": "https://example.kinde.com"},
///     "auth": {"providedEmail": "ada@example.com", "password": "pw",
///              "hashedPassword": "$2a$10$abc", "hasUserRecordInKinde": false},
///     "workflow": {"trigger": "user:existing_password_provided"},
///     "application": {"clientId": "abc"},
///     "somethingNew": true
///   }
/// }"#).unwrap();
/// assert_eq!(event.context.auth.provided_email, "ada@example.com");
/// assert_eq!(format!("{:?}", event.context.auth.password), "Secret([redacted])");
/// ```
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExistingPasswordProvided {
    /// The end user's request.
    #[serde(default)]
    pub request: RequestInfo,
    /// What Kinde knows about the sign-in.
    pub context: ExistingPasswordContext,
}

/// `context` of [`ExistingPasswordProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExistingPasswordContext {
    /// The environment's domains.
    pub domains: Domains,
    /// The credentials the user entered.
    pub auth: ExistingPasswordAuth,
    /// Present only in password-reset flows.
    #[serde(default)]
    pub user: Option<UserInfo>,
    /// The running workflow.
    #[serde(default)]
    pub workflow: WorkflowInfo,
    /// The application signed in to.
    #[serde(default)]
    pub application: ApplicationInfo,
}

/// `context.auth` of [`ExistingPasswordProvided`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExistingPasswordAuth {
    /// The e-mail address the user entered.
    pub provided_email: String,
    /// The password in plain text. Send it only to the identity provider that owns it.
    pub password: Secret,
    /// Kinde's bcrypt hash of the password, for `PUT /api/v1/users/{id}/password`.
    pub hashed_password: Secret,
    /// Whether the user already has a Kinde account with a password.
    pub has_user_record_in_kinde: bool,
}

impl Event for ExistingPasswordProvided {
    const TRIGGER: Trigger = Trigger::ExistingPasswordProvided;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_json(auth: &str) -> String {
        format!(
            r#"{{"context":{{"domains":{{"kindeDomain":"https://x.kinde.com"}},"auth":{auth}}}}}"#
        )
    }

    #[test]
    fn missing_field_names_its_full_path() {
        let json =
            event_json(r#"{"password":"p","hashedPassword":"h","hasUserRecordInKinde":true}"#);
        let err = ExistingPasswordProvided::from_json(&json).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid event at `context.auth.providedEmail`: missing field"
        );
    }

    #[test]
    fn mistyped_field_names_its_path_and_type() {
        let json = event_json(
            r#"{"providedEmail":"a@b.c","password":"p","hashedPassword":"h","hasUserRecordInKinde":"yes"}"#,
        );
        let err = ExistingPasswordProvided::from_json(&json)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid event at `context.auth.hasUserRecordInKinde`: invalid type: string, expected a boolean"
        );
    }

    #[test]
    fn not_json_is_an_error_not_a_panic() {
        let err = ExistingPasswordProvided::from_json("{")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("invalid event"), "{err}");
    }

    #[test]
    fn optional_parts_default_and_secrets_stay_hidden() {
        let json = event_json(
            r#"{"providedEmail":"a@b.c","password":"pw-123","hashedPassword":"$2a$h","hasUserRecordInKinde":false}"#,
        );
        let event = ExistingPasswordProvided::from_json(&json).unwrap();
        assert_eq!(event.request, RequestInfo::default());
        assert!(event.context.user.is_none());
        let shown = format!("{event:?}");
        assert!(
            !shown.contains("pw-123") && !shown.contains("$2a$h"),
            "{shown}"
        );
    }
}
