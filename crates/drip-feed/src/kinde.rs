//! Moving the verified user into Kinde through the Management API, idempotently.
//!
//! Look the user up by e-mail first (bulk-imported users already exist); create
//! them only when absent; then set the password from Kinde's own bcrypt hash, so the
//! plaintext never reaches the Management API. If creating fails, or its answer is
//! lost, the user is looked up again rather than created twice: one run never sends
//! two `POST user`, and a later run finds what an earlier one created.

use kinde_workflow::{ApiRequest, Error, Host, Result, Secret};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::answer::{code, parse_thrown_http, Fields};
use crate::verdict::Profile;

/// What is percent-encoded in a path segment or a query value: all but RFC 3986's
/// unreserved characters (so a space is `%20`, right in both places).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Attempts per Management API call when Kinde answers 429, 5xx or not at all.
/// There is no sleeping between them: Kinde's runtime has no timers.
pub const ATTEMPTS: usize = 3;

/// Where the user ended up.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Migrated {
    /// Kinde user id.
    pub user_id: String,
    /// Whether this run created the user.
    pub created: bool,
}

/// Why a Management API call did not succeed.
#[derive(Debug)]
enum ApiFailure {
    /// 429, 5xx, a throttling or internal error code, no answer or an empty one.
    Retryable(String),
    /// Anything else: a client error Kinde will repeat.
    Final(String),
}

impl ApiFailure {
    fn code(&self) -> &str {
        match self {
            ApiFailure::Retryable(code) | ApiFailure::Final(code) => code,
        }
    }
}

/// Finds or creates the user for `email` and sets their password hash.
pub(crate) async fn migrate(
    host: &impl Host,
    email: &str,
    hashed_password: &Secret,
    profile: &Profile,
) -> Result<Migrated> {
    let (user_id, created) = match find_user(host, email).await? {
        Some(id) => (id, false),
        None => create_or_find(host, email, profile).await?,
    };
    set_password(host, &user_id, hashed_password).await?;
    Ok(Migrated { user_id, created })
}

/// Creates the user; after a failed or unanswered create, looks up again (the
/// create may have happened) and creates again only when the user is still absent
/// and the failure was retryable.
async fn create_or_find(
    host: &impl Host,
    email: &str,
    profile: &Profile,
) -> Result<(String, bool)> {
    let mut attempt = 1;
    loop {
        let failure = match create_user(host, email, profile).await? {
            Ok(id) => return Ok((id, true)),
            Err(failure) => failure,
        };
        host.warn(&log_line(&[
            "drip-feed: creating the Kinde user failed (",
            failure.code(),
            "); looking it up again",
        ]));
        if let Some(id) = find_user(host, email).await? {
            return Ok((id, false));
        }
        match failure {
            ApiFailure::Retryable(_) if attempt < ATTEMPTS => attempt += 1,
            failure => return Err(api_error("creating the Kinde user failed", &failure)),
        }
    }
}

/// The id of the one Kinde user whose e-mail is `email` (compared ignoring case).
async fn find_user(host: &impl Host, email: &str) -> Result<Option<String>> {
    let mut endpoint = String::from("users?email=");
    endpoint.extend(utf8_percent_encode(email, COMPONENT));
    let answer = call(host, ApiRequest::get(endpoint))
        .await?
        .map_err(|failure| api_error("looking up the Kinde user failed", &failure))?;
    let users = answer.users.unwrap_or_default();
    let mut ids = users.iter().map(|user| &user.0).filter_map(|user| {
        let matches = user
            .email
            .as_deref()
            .is_some_and(|found| found.eq_ignore_ascii_case(email));
        matches.then(|| user.id.as_deref()).flatten()
    });
    let first = ids.next().map(str::to_owned);
    if ids.next().is_some() {
        return Err(Error::msg(
            "several Kinde users have this e-mail address; not choosing one (merge them, then the next sign-in migrates)",
        ));
    }
    Ok(first)
}

/// `POST user`; the new id, or why it failed (the caller looks up again).
async fn create_user(
    host: &impl Host,
    email: &str,
    profile: &Profile,
) -> Result<Result<String, ApiFailure>> {
    #[derive(Serialize)]
    struct NewUser<'a> {
        profile: &'a Profile,
        identities: [Identity<'a>; 1],
    }
    #[derive(Serialize)]
    struct Identity<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        is_verified: bool,
        details: IdentityDetails<'a>,
    }
    #[derive(Serialize)]
    struct IdentityDetails<'a> {
        email: &'a str,
    }
    let params = NewUser {
        profile,
        identities: [Identity {
            kind: "email",
            is_verified: true,
            details: IdentityDetails { email },
        }],
    };
    // Not retried blindly: a lost answer may hide a created user.
    let answer = once(host, ApiRequest::post("user", &params)?).await?;
    Ok(answer.and_then(|reply| {
        let id = reply.id.as_deref().filter(|id| !id.is_empty());
        let refused = reply.created.0 == Some(false);
        match id {
            Some(id) if !refused => Ok(id.to_owned()),
            _ => Err(ApiFailure::Final("answer without a new user id".into())),
        }
    }))
}

/// `PUT users/{id}/password` with Kinde's bcrypt hash.
async fn set_password(host: &impl Host, user_id: &str, hashed_password: &Secret) -> Result<()> {
    let mut endpoint = String::from("users/");
    endpoint.extend(utf8_percent_encode(user_id, COMPONENT));
    endpoint.push_str("/password");
    #[derive(Serialize)]
    struct NewPassword<'a> {
        hashed_password: &'a str,
        hashing_method: &'a str,
        is_temporary_password: bool,
    }
    let params = NewPassword {
        hashed_password: hashed_password.expose(),
        hashing_method: "bcrypt",
        is_temporary_password: false,
    };
    call(host, ApiRequest::put(endpoint, &params)?)
        .await?
        .map(drop)
        .map_err(|failure| api_error("setting the Kinde password failed", &failure))
}

/// One call, retried up to [`ATTEMPTS`] times while the failure is retryable.
async fn call(host: &impl Host, request: ApiRequest) -> Result<Result<Fields, ApiFailure>> {
    let mut attempt = 1;
    loop {
        match once(host, request.clone()).await? {
            Err(ApiFailure::Retryable(_)) if attempt < ATTEMPTS => attempt += 1,
            outcome => return Ok(outcome),
        }
    }
}

/// One call, its answer classified.
async fn once(host: &impl Host, request: ApiRequest) -> Result<Result<Fields, ApiFailure>> {
    match host.management_api(request).await {
        Ok(answer) => Ok(match answer.json::<Option<Fields>>() {
            Ok(None) => Err(ApiFailure::Retryable("empty answer".into())),
            Ok(Some(reply)) => match error_code(&reply) {
                Some(code) if is_retryable_code(&code) => Err(ApiFailure::Retryable(code)),
                Some(code) => Err(ApiFailure::Final(code)),
                None => Ok(reply),
            },
            // Named by the field only: values may be user data.
            Err(err) => Err(ApiFailure::Retryable(log_line(&[
                "unexpected answer at `",
                err.path(),
                "`",
            ]))),
        }),
        Err(Error::Binding { message, .. }) => Ok(Err(match parse_thrown_http(&message) {
            Some((status, body)) => {
                let body_code = error_code(&Fields::read(body));
                let mut code = crate::answer::status_code(Some(status));
                if let Some(body_code) = body_code {
                    code.push(' ');
                    code.push_str(&body_code);
                }
                if status == 429 || status >= 500 {
                    ApiFailure::Retryable(code)
                } else {
                    ApiFailure::Final(code)
                }
            }
            None => ApiFailure::Retryable("no answer".into()),
        })),
        Err(other) => Err(other),
    }
}

/// The first code of `{"errors": [{"code", "message"}]}` (or `{"errors": {...}}`);
/// `error` for errors without one.
fn error_code(reply: &Fields) -> Option<String> {
    let errors = reply.errors.as_ref()?;
    Some(code(errors.code.as_deref().unwrap_or("error")))
}

/// Error codes that mean "try again" when the host hides the status.
fn is_retryable_code(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    [
        "TOO_MANY",
        "RATE_LIMIT",
        "THROTTL",
        "INTERNAL",
        "UNAVAILABLE",
        "TIMEOUT",
    ]
    .iter()
    .any(|marker| upper.contains(marker))
}

fn api_error(what: &str, failure: &ApiFailure) -> Error {
    let retry = match failure {
        ApiFailure::Retryable(_) => "; the next sign-in retries",
        ApiFailure::Final(_) => "",
    };
    Error::msg(log_line(&[what, " (", failure.code(), ")", retry]))
}

/// Concatenates parts (cheaper in code size than `format!`).
pub(crate) fn log_line(parts: &[&str]) -> String {
    let mut line = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        line.push_str(part);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinde_workflow::testing::{block_on, MemoryHost};
    use serde_json::{json, Value};

    fn answered(value: Value) -> Result<Result<Fields, ApiFailure>> {
        let host = MemoryHost::new()
            .with_settings(crate::WORKFLOW_SETTINGS)
            .on_management_api(move |_| Ok(value.clone()));
        block_on(once(&host, ApiRequest::get("users")))
    }

    fn failure(value: Value) -> String {
        match answered(value).unwrap() {
            Err(ApiFailure::Retryable(code)) => format!("retryable {code}"),
            Err(ApiFailure::Final(code)) => format!("final {code}"),
            Ok(_) => "ok".to_owned(),
        }
    }

    #[test]
    fn e_mail_addresses_and_user_ids_are_percent_encoded_for_their_place() {
        let host = MemoryHost::new()
            .with_settings(crate::WORKFLOW_SETTINGS)
            .on_management_api(|call| {
                Ok(match call.method {
                    kinde_workflow::Method::Get => json!({"users": []}),
                    _ => json!({"code": "PASSWORD_SET"}),
                })
            });
        block_on(find_user(&host, "ada+x y@example.com/é")).unwrap();
        block_on(set_password(&host, "kp 1/2", &Secret::new("h"))).unwrap();
        let endpoints: Vec<String> = host
            .calls()
            .into_iter()
            .filter_map(|call| match call {
                kinde_workflow::testing::Call::ManagementApi(request) => Some(request.endpoint),
                _ => None,
            })
            .collect();
        assert_eq!(
            endpoints,
            [
                "users?email=ada%2Bx%20y%40example.com%2F%C3%A9",
                "users/kp%201%2F2/password"
            ]
        );
    }

    #[test]
    fn error_lists_objects_and_odd_values_are_failures_with_their_code() {
        let list = json!({"errors": [{"message": "m", "code": "USER_INVALID"}, {"code": "X"}]});
        assert_eq!(failure(list), "final USER_INVALID");
        assert_eq!(
            failure(json!({"errors": {"code": "TOO_MANY_REQUESTS"}})),
            "retryable TOO_MANY_REQUESTS"
        );
        assert_eq!(failure(json!({"errors": "bad"})), "final error");
        assert_eq!(failure(json!({"errors": [7]})), "final error");
        assert_eq!(failure(json!({"errors": {"code": 5}})), "final error");
        assert_eq!(failure(json!({"errors": null, "id": "kp_1"})), "ok");
    }

    #[test]
    fn empty_and_misshapen_answers_are_retried_and_named_by_field_only() {
        assert_eq!(failure(Value::Null), "retryable empty answer");
        let odd = failure(json!({"users": "ada@example.com"}));
        assert_eq!(odd, "retryable unexpected answer at `users`");
        let reply = answered(json!({"users": null, "code": "OK"}))
            .unwrap()
            .ok()
            .unwrap();
        assert!(reply.users.is_none());
        let reply = answered(json!({"users": [{"id": 1, "email": "a@b"}, {"id": "kp_2"}]}))
            .unwrap()
            .ok()
            .unwrap();
        let users = reply.users.unwrap();
        assert_eq!(
            (users[0].0.id.as_deref(), users[0].0.email.as_deref()),
            (None, Some("a@b"))
        );
        assert_eq!(users[1].0.id.as_deref(), Some("kp_2"));
    }
}
