//! A provider's answer, whichever way the host delivered it.
//!
//! Hosts differ: `status` may be missing, and a non-2xx answer may come back as a
//! normal response or be thrown as `kinde.fetch: HTTP <status> from <METHOD> <url>:
//! <body>`. Both are turned into one [`Answer`], so providers classify the body (and
//! the status when known) the same way under every host.

use kinde_workflow::{Error, FetchResponse, Result};
use serde_json::Value;

/// What a provider said.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    /// HTTP status, when the host reports it.
    pub status: Option<u16>,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The body as text (possibly truncated by the host when it was thrown).
    pub text: String,
}

/// The result of one request to a provider.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The provider answered.
    Answer(Answer),
    /// The request never got an answer (timeout, refused connection, ...).
    Unreachable,
}

impl Answer {
    /// A string field of the JSON body.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.json.as_ref()?.get(name)?.as_str()
    }

    /// Whether the status is known to be other than 2xx.
    pub fn is_known_failure(&self) -> bool {
        self.status
            .is_some_and(|status| !(200..=299).contains(&status))
    }
}

/// Reads the host's result of a fetch. Errors other than a failed binding call
/// (e.g. an undeclared binding) are the workflow's own and pass through.
pub(crate) fn reply(result: Result<FetchResponse>) -> Result<Reply> {
    match result {
        Ok(response) => Ok(Reply::Answer(Answer {
            status: response.status,
            json: response.json,
            text: response.text,
        })),
        Err(Error::Binding { message, .. }) => Ok(match parse_thrown_http(&message) {
            Some((status, body)) => Reply::Answer(Answer {
                status: Some(status),
                json: serde_json::from_str(body).ok(),
                text: body.to_owned(),
            }),
            None => Reply::Unreachable,
        }),
        Err(other) => Err(other),
    }
}

/// Reads `kinde.<binding>: HTTP <status> from <METHOD> <url>: <body>` into the
/// status and body; `None` for any other message (a transport failure).
pub(crate) fn parse_thrown_http(message: &str) -> Option<(u16, &str)> {
    let rest = message.strip_prefix("kinde.")?;
    let (_, rest) = rest.split_once(": HTTP ")?;
    let status = rest.get(..3)?.parse().ok()?;
    let rest = rest.get(3..)?.strip_prefix(" from ")?;
    let body = rest.split_once(": ").map_or("", |(_, body)| body);
    Some((status, body))
}

/// A short, bounded code for log lines, taken from a provider's error field.
pub(crate) fn code(text: &str) -> String {
    text.chars().take(64).collect()
}

/// `HTTP <status>` or `no status` for log lines.
pub(crate) fn status_code(status: Option<u16>) -> String {
    match status {
        Some(status) => {
            let mut code = String::from("HTTP ");
            code.push_str(&status.to_string());
            code
        }
        None => String::from("no status"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinde_workflow::Binding;

    fn thrown(message: &str) -> Result<FetchResponse> {
        Err(Error::Binding {
            binding: Binding::Fetch,
            message: message.to_owned(),
        })
    }

    #[test]
    fn thrown_http_answers_keep_status_and_body() {
        let Reply::Answer(answer) = reply(thrown(
            r#"kinde.fetch: HTTP 403 from POST https://t.example/oauth/token: {"error":"invalid_grant"}"#,
        ))
        .unwrap() else {
            panic!("expected an answer")
        };
        assert_eq!(answer.status, Some(403));
        assert_eq!(answer.str_field("error"), Some("invalid_grant"));
        let Reply::Answer(empty) =
            reply(thrown("kinde.secureFetch: HTTP 502 from POST https://x/: ")).unwrap()
        else {
            panic!("expected an answer")
        };
        assert_eq!((empty.status, empty.json.is_none()), (Some(502), true));
    }

    #[test]
    fn other_binding_failures_are_unreachable_and_other_errors_pass_through() {
        for message in [
            "kinde.fetch POST https://x: dial tcp: connection refused",
            "kinde.fetch: HTTP abc from POST x: y",
            "execution time exceeded",
        ] {
            assert!(
                matches!(reply(thrown(message)).unwrap(), Reply::Unreachable),
                "{message}"
            );
        }
        let err = reply(Err(Error::msg("boom"))).unwrap_err();
        assert_eq!(err.to_string(), "boom");
    }
}
