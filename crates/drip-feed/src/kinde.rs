//! Moving the verified user into Kinde through the Management API, idempotently.
//!
//! Look the user up by e-mail first (bulk-imported users already exist); create
//! them only when absent; then set the password from Kinde's own bcrypt hash, so the
//! plaintext never reaches the Management API. If creating fails, or its answer is
//! lost, the user is looked up again rather than created twice: one run never sends
//! two `POST user`, and a later run finds what an earlier one created.

use kinde_workflow::wire::object;
use kinde_workflow::{ApiRequest, Error, Host, Method, Result, Secret};
use serde_json::{Map, Value};

use crate::answer::{code, parse_thrown_http};
use crate::verdict::Profile;

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
    let mut endpoint = String::from("users?");
    endpoint.push_str(
        &form_urlencoded::Serializer::new(String::new())
            .append_pair("email", email)
            .finish(),
    );
    let answer = call(
        host,
        ApiRequest {
            method: Method::Get,
            endpoint,
            params: None,
        },
    )
    .await?
    .map_err(|failure| api_error("looking up the Kinde user failed", &failure))?;
    let users = match answer.get("users") {
        Some(Value::Array(users)) => users.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return Err(Error::msg(
                "looking up the Kinde user failed: `users` is not a list",
            ))
        }
    };
    let mut ids = users.iter().filter_map(|user| {
        let matches = user
            .get("email")
            .and_then(Value::as_str)
            .is_some_and(|found| found.eq_ignore_ascii_case(email));
        matches
            .then(|| user.get("id").and_then(Value::as_str))
            .flatten()
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
    let mut names = Map::new();
    if let Some(given) = &profile.given_name {
        names.insert("given_name".into(), Value::String(given.clone()));
    }
    if let Some(family) = &profile.family_name {
        names.insert("family_name".into(), Value::String(family.clone()));
    }
    let identity = object([
        ("type", Value::from("email")),
        ("is_verified", Value::Bool(true)),
        ("details", object([("email", Value::from(email))])),
    ]);
    let params = object([
        ("profile", Value::Object(names)),
        ("identities", Value::Array(vec![identity])),
    ]);
    // Not retried blindly: a lost answer may hide a created user.
    let answer = once(
        host,
        ApiRequest {
            method: Method::Post,
            endpoint: "user".into(),
            params: Some(params),
        },
    )
    .await?;
    Ok(answer.and_then(|value| {
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty());
        let refused = value.get("created").and_then(Value::as_bool) == Some(false);
        match id {
            Some(id) if !refused => Ok(id.to_owned()),
            _ => Err(ApiFailure::Final("answer without a new user id".into())),
        }
    }))
}

/// `PUT users/{id}/password` with Kinde's bcrypt hash.
async fn set_password(host: &impl Host, user_id: &str, hashed_password: &Secret) -> Result<()> {
    let mut endpoint = String::from("users/");
    endpoint.extend(form_urlencoded::byte_serialize(user_id.as_bytes()));
    endpoint.push_str("/password");
    call(
        host,
        ApiRequest {
            method: Method::Put,
            endpoint,
            params: Some(object([
                ("hashed_password", Value::from(hashed_password.expose())),
                ("hashing_method", Value::from("bcrypt")),
                ("is_temporary_password", Value::Bool(false)),
            ])),
        },
    )
    .await?
    .map(drop)
    .map_err(|failure| api_error("setting the Kinde password failed", &failure))
}

/// One call, retried up to [`ATTEMPTS`] times while the failure is retryable.
async fn call(host: &impl Host, request: ApiRequest) -> Result<Result<Value, ApiFailure>> {
    let mut attempt = 1;
    loop {
        match once(host, request.clone()).await? {
            Err(ApiFailure::Retryable(_)) if attempt < ATTEMPTS => attempt += 1,
            outcome => return Ok(outcome),
        }
    }
}

/// One call, its answer classified.
async fn once(host: &impl Host, request: ApiRequest) -> Result<Result<Value, ApiFailure>> {
    match host.management_api(request).await {
        Ok(Value::Null) => Ok(Err(ApiFailure::Retryable("empty answer".into()))),
        Ok(value) => Ok(match error_code(&value) {
            Some(code) if is_retryable_code(&code) => Err(ApiFailure::Retryable(code)),
            Some(code) => Err(ApiFailure::Final(code)),
            None => Ok(value),
        }),
        Err(Error::Binding { message, .. }) => Ok(Err(match parse_thrown_http(&message) {
            Some((status, body)) => {
                let body_code = serde_json::from_str::<Value>(body)
                    .ok()
                    .and_then(|v| error_code(&v));
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

/// The first code of `{"errors": [{"code", "message"}]}` (or `{"errors": {...}}`).
fn error_code(value: &Value) -> Option<String> {
    let errors = value.get("errors")?;
    let first = match errors {
        Value::Array(list) => list.first(),
        other => Some(other),
    };
    let found = first
        .and_then(|error| error.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("error");
    Some(code(found))
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
