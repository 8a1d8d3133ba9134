//! Your own validation endpoint: `POST {"email", "password"}` as JSON, over
//! `kinde.fetch` or (encrypted with the workflow's key) `kinde.secureFetch`.
//!
//! The endpoint answers JSON `{"result": R, "given_name"?: .., "family_name"?: ..}`
//! with `R` one of `verified`, `mfa_required`, `reset_required`, `rejected`,
//! `locked`, whatever the HTTP status. 429 and 5xx without such a body, and any
//! other body, are transient.

use kinde_workflow::json::LenientString;
use kinde_workflow::{FetchRequest, Host, Result};
use serde::Serialize;

use super::{judge, unrecognised, Credentials};
use crate::answer::{code, reply, Answer};
use crate::config;
use crate::verdict::{Profile, Verdict};

/// The endpoint's URL (`https://`, or `http://` to a loopback host).
pub const URL_VAR: &str = "LEGACY_VALIDATION_URL";
/// `true` to send through `kinde.secureFetch` (default `false`).
pub const SECURE_FETCH_VAR: &str = "LEGACY_USE_SECURE_FETCH";

/// Generic endpoint settings.
pub(crate) struct Config {
    url: String,
    secure_fetch: bool,
}

impl Config {
    pub async fn load(host: &impl Host) -> Result<Self> {
        let url = config::required(host, URL_VAR).await?;
        Ok(Self {
            url: config::secure_url(URL_VAR, &url)?,
            secure_fetch: config::flag(host, SECURE_FETCH_VAR, false).await?,
        })
    }
}

/// Posts the credentials and classifies the answer.
pub(crate) async fn check(
    config: &Config,
    credentials: &Credentials<'_>,
    host: &impl Host,
) -> Result<Verdict> {
    #[derive(Serialize)]
    struct Check<'a> {
        email: &'a str,
        password: &'a str,
    }
    let request = FetchRequest::post(&config.url).json(&Check {
        email: credentials.email,
        password: credentials.password.expose(),
    })?;
    let result = if config.secure_fetch {
        host.secure_fetch(request).await
    } else {
        host.fetch(request).await
    };
    Ok(judge(reply(result)?, classify))
}

/// Classifies the endpoint's `result`.
pub(crate) fn classify(answer: &Answer) -> Verdict {
    let Some(result) = answer.fields.result.as_deref() else {
        return unrecognised(answer);
    };
    let name = |field: &LenientString| {
        field
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let profile = || Profile {
        given_name: name(&answer.fields.given_name),
        family_name: name(&answer.fields.family_name),
    };
    match result {
        "verified" if !answer.is_known_failure() => Verdict::verified(profile()),
        "mfa_required" => Verdict::Verified {
            profile: profile(),
            step: Some(code(result)),
        },
        "reset_required" => Verdict::MustReset(code(result)),
        "rejected" => Verdict::Rejected(code(result)),
        "locked" => Verdict::Locked(code(result)),
        _ => unrecognised(answer),
    }
}
