//! Typed trigger events.
//!
//! Unknown fields are ignored, so a Kinde release that adds fields breaks nothing; a
//! missing or mistyped required field is an [`Error::InvalidEvent`] naming its JSON path.

mod existing_password;

pub use existing_password::{
    ExistingPasswordAuth, ExistingPasswordContext, ExistingPasswordProvided,
};

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
        let mut deserializer = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            // serde reports a missing field at its parent; name the field itself.
            let message = inner.to_string();
            match missing_field_name(&message) {
                Some(field) => Error::InvalidEvent {
                    path: join_path(&path, field),
                    message: "missing field".to_owned(),
                },
                None => Error::InvalidEvent {
                    path,
                    message: strip_position(&message),
                },
            }
        })
    }
}

/// Extracts `name` from serde's "missing field `name`" message.
fn missing_field_name(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    Some(&rest[..rest.find('`')?])
}

fn join_path(parent: &str, field: &str) -> String {
    if parent == "." || parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// Drops serde_json's " at line 1 column 42" suffix: the path already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
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
