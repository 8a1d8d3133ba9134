//! Drip-feed user migration: move users from a legacy identity provider to Kinde one
//! sign-in at a time, with no password export and no forced reset.
//!
//! Kinde runs this workflow on `user:existing_password_provided` (the user's e-mail
//! must already be in Kinde: bulk-import the e-mails first and turn on enumeration
//! protection). If Kinde already has a password for the user it returns at once,
//! without reading anything. Otherwise it asks the legacy provider whether the
//! password is right and, if so, finds (or creates) the Kinde user and sets their
//! password from the bcrypt hash Kinde computed, so the plaintext goes only to the
//! legacy provider.
//!
//! # Environment variables
//!
//! | variable | provider | required | meaning |
//! | --- | --- | --- | --- |
//! | `LEGACY_PROVIDER` | all | yes | `generic`, `auth0`, `cognito` or `azure_b2c` |
//! | `LEGACY_VALIDATION_URL` | generic | yes | your endpoint (`https://`; `http://` only to loopback) |
//! | `LEGACY_USE_SECURE_FETCH` | generic | no | `true`: send with `kinde.secureFetch` (body encrypted with the workflow's key); default `false` |
//! | `AUTH0_DOMAIN` | auth0 | yes | tenant or custom domain (`tenant.eu.auth0.com`), or an `https://` URL |
//! | `AUTH0_CLIENT_ID` | auth0 | yes | application with the Password grant enabled |
//! | `AUTH0_CLIENT_SECRET` | auth0 | no | its secret (confidential clients); mark it sensitive |
//! | `AUTH0_AUDIENCE` | auth0 | no | API audience |
//! | `AUTH0_REALM` | auth0 | no | database connection; selects the `password-realm` grant |
//! | `AWS_REGION` | cognito | yes | the user pool's region |
//! | `COGNITO_CLIENT_ID` | cognito | yes | app client id |
//! | `COGNITO_CLIENT_SECRET` | cognito | no | app client secret (adds `SECRET_HASH`); sensitive |
//! | `AWS_ACCESS_KEY_ID` | cognito | no | IAM key allowed `cognito-idp:AdminInitiateAuth`; selects `AdminInitiateAuth` (`ADMIN_USER_PASSWORD_AUTH`, SigV4-signed) instead of `InitiateAuth` (`USER_PASSWORD_AUTH`) |
//! | `AWS_SECRET_ACCESS_KEY` | cognito | with the key id | its secret; sensitive |
//! | `AWS_SESSION_TOKEN` | cognito | no | for temporary credentials; sensitive |
//! | `COGNITO_USER_POOL_ID` | cognito | with the key id | user pool id |
//! | `AZURE_B2C_TENANT` | azure_b2c | yes | `contoso` for `contoso.b2clogin.com` |
//! | `AZURE_B2C_ROPC_POLICY` | azure_b2c | yes | the ROPC user flow, e.g. `B2C_1_ropc` |
//! | `AZURE_B2C_CLIENT_ID` | azure_b2c | yes | application id (public client flows allowed) |
//! | `AZURE_B2C_SCOPE` | azure_b2c | no | scope after `openid`; default the client id |
//! | `KINDE_WF_M2M_CLIENT_ID`, `KINDE_WF_M2M_CLIENT_SECRET` | all | yes | M2M app with `read:users`, `create:users`, `update:user_passwords` (read by Kinde's `createKindeAPI`) |
//!
//! The generic endpoint receives `{"email", "password"}` as JSON and answers JSON
//! `{"result": "verified" | "mfa_required" | "reset_required" | "rejected" | "locked",
//! "given_name"?, "family_name"?}`.
//!
//! # Outcomes
//!
//! The workflow resolves with an [`Outcome`]:
//!
//! | provider says | outcome | user sees on `p_password` |
//! | --- | --- | --- |
//! | password right (also when it asks for MFA next) | `migrated`: user found or created, password hash set | nothing: the sign-in goes on |
//! | reset first (Cognito `NEW_PASSWORD_REQUIRED`, `PasswordResetRequiredException`; Auth0 `password_leaked`; B2C expired password) | `must_reset` | [`RESET_MESSAGE`] |
//! | wrong password or unknown user | `rejected` | [`REJECTED_MESSAGE`] |
//! | locked, blocked or unconfirmed | `locked` | [`REJECTED_MESSAGE`] (same text: no hint about the account) |
//! | 429, 5xx, timeout, empty or unreadable answer | `retry_later` | [`RETRY_MESSAGE`] |
//! | our configuration refused (Auth0 `invalid_client`, B2C `AADB2C90224`, bad SigV4 key, ...) | error naming the variables | Kinde's error |
//!
//! A missing or malformed variable is an error naming it. Each case writes one log
//! line with the provider and its error code. Answers are classified from the body,
//! and from the status when the host gives one, whether non-2xx answers come back
//! or are thrown (`kinde.fetch: HTTP <status> from ...`).
//!
//! Migration is idempotent: the user is looked up by e-mail before any create, a
//! failed or unanswered create is followed by another lookup rather than a second
//! create, and Management API calls are retried at once (at most [`ATTEMPTS`] times)
//! on 429, 5xx or no answer. A run that fails part-way is finished by the next
//! sign-in without a duplicate user.
//!
//! # Failure policy: stop
//!
//! An error (misconfiguration, or the Management API failing after the password was
//! verified) stops the sign-in. This fails closed: a user with no Kinde password could
//! not sign in anyway, so `continue` would buy nothing but a confusing "wrong
//! password", while `stop` puts the cause in Kinde's logs. Expected outcomes (wrong
//! password, outage of the legacy provider) are not errors: they resolve with a
//! message on the password field.
//!
//! # Security
//!
//! - The password goes only to the configured provider, only over `https://`
//!   (`http://` is refused unless the host is loopback), and never to Kinde's
//!   Management API, which receives Kinde's bcrypt hash.
//! - No password, hash, client secret, AWS secret or session token appears in a log
//!   line, an error or `Debug` output: they are held as [`kinde_workflow::Secret`]
//!   and request bodies print as `[redacted]`. Logs carry no e-mail addresses.
//! - The same message answers wrong passwords, unknown users and locked accounts.
//!
//! # Size
//!
//! Cargo features `generic`, `auth0`, `cognito`, `azure-b2c` (all on by default)
//! leave unused providers out of the build.

#![warn(missing_docs)]

mod answer;
mod clock;
mod config;
#[cfg(any(feature = "auth0", feature = "cognito", feature = "azure-b2c"))]
mod jwt;
mod kinde;
mod providers;
mod verdict;

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::{workflow, Error, Host, Result};
use serde::Serialize;

pub use clock::now_unix_seconds;
pub use kinde::ATTEMPTS;
#[cfg(feature = "auth0")]
pub use providers::auth0::{
    AUDIENCE_VAR as AUTH0_AUDIENCE_VAR, CLIENT_ID_VAR as AUTH0_CLIENT_ID_VAR,
    CLIENT_SECRET_VAR as AUTH0_CLIENT_SECRET_VAR, DOMAIN_VAR as AUTH0_DOMAIN_VAR,
    REALM_VAR as AUTH0_REALM_VAR,
};
#[cfg(feature = "azure-b2c")]
pub use providers::azure_b2c::{
    CLIENT_ID_VAR as AZURE_B2C_CLIENT_ID_VAR, POLICY_VAR as AZURE_B2C_ROPC_POLICY_VAR,
    SCOPE_VAR as AZURE_B2C_SCOPE_VAR, TENANT_VAR as AZURE_B2C_TENANT_VAR,
};
#[cfg(feature = "cognito")]
pub use providers::cognito::{
    ACCESS_KEY_ID_VAR as AWS_ACCESS_KEY_ID_VAR, CLIENT_ID_VAR as COGNITO_CLIENT_ID_VAR,
    CLIENT_SECRET_VAR as COGNITO_CLIENT_SECRET_VAR, REGION_VAR as AWS_REGION_VAR,
    SECRET_ACCESS_KEY_VAR as AWS_SECRET_ACCESS_KEY_VAR, SESSION_TOKEN_VAR as AWS_SESSION_TOKEN_VAR,
    USER_POOL_ID_VAR as COGNITO_USER_POOL_ID_VAR,
};
#[cfg(feature = "generic")]
pub use providers::generic::{
    SECURE_FETCH_VAR as LEGACY_USE_SECURE_FETCH_VAR, URL_VAR as LEGACY_VALIDATION_URL_VAR,
};
pub use providers::PROVIDER_VAR;

use kinde::log_line;
use providers::{Credentials, Provider};
use verdict::Verdict;

/// The form field Kinde's sign-in widget shows password errors on.
pub const PASSWORD_FIELD: &str = "p_password";
/// Shown for a wrong password, an unknown user and a locked account alike.
pub const REJECTED_MESSAGE: &str = "Incorrect email or password.";
/// Shown when the legacy provider requires a new password first.
pub const RESET_MESSAGE: &str =
    "Your password must be reset. Choose \"Forgot password\" to set a new one.";
/// Shown when the legacy provider could not be asked; the next sign-in retries.
pub const RETRY_MESSAGE: &str =
    "We could not check your password just now. Please try again in a moment.";

/// How a run ended; the workflow resolves with it (as `{"outcome": ..., ...}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Kinde already has the user's password: nothing was done.
    AlreadyInKinde,
    /// The password was verified; the user has it in Kinde now.
    Migrated {
        /// Kinde user id.
        user_id: String,
        /// Whether this run created the user (else it existed already).
        created: bool,
    },
    /// The provider wants the password reset first; not migrated.
    MustReset,
    /// Wrong password or unknown user; not migrated.
    Rejected,
    /// Locked, blocked or unconfirmed account; not migrated.
    Locked,
    /// The provider could not be asked; the next sign-in retries.
    RetryLater,
}

/// The workflow: checks the password with the legacy provider and migrates the user.
#[cfg_attr(
    feature = "generic",
    workflow(
        id = "dripFeedMigration",
        name = "Drip-feed user migration",
        failure_policy = Stop,
        bindings(Fetch, SecureFetch, Env, Url, Cache, Widget, Console),
        short_circuit(
            when = "context.auth.hasUserRecordInKinde",
            resolve = r#"{"outcome": "already_in_kinde"}"#
        )
    )
)]
#[cfg_attr(
    not(feature = "generic"),
    workflow(
        id = "dripFeedMigration",
        name = "Drip-feed user migration",
        failure_policy = Stop,
        bindings(Fetch, Env, Url, Cache, Widget, Console),
        short_circuit(
            when = "context.auth.hasUserRecordInKinde",
            resolve = r#"{"outcome": "already_in_kinde"}"#
        )
    )
)]
pub async fn drip_feed_migration(
    event: ExistingPasswordProvided,
    kinde: &impl Host,
) -> Result<Outcome> {
    migrate_with_clock(&event, kinde, now_unix_seconds).await
}

/// [`drip_feed_migration`] with the clock given (`now` returns Unix seconds), so
/// tests can sign requests at a fixed time.
pub async fn migrate_with_clock(
    event: &ExistingPasswordProvided,
    kinde: &impl Host,
    now: fn() -> u64,
) -> Result<Outcome> {
    let auth = &event.context.auth;
    if auth.has_user_record_in_kinde {
        return Ok(Outcome::AlreadyInKinde);
    }
    if auth.provided_email.trim().is_empty() {
        return Err(Error::InvalidEvent {
            path: "context.auth.providedEmail".into(),
            message: "empty".into(),
        });
    }
    let provider = Provider::load(kinde).await?;
    let credentials = Credentials {
        email: auth.provided_email.trim(),
        password: &auth.password,
        ip: event.request.ip.as_deref(),
    };
    let verdict = provider.check(&credentials, kinde, now).await?;
    let name = provider.name();
    let (outcome, message) = match verdict {
        Verdict::Verified { profile, step } => {
            let mut line = log_line(&["drip-feed: ", name, " verified the password"]);
            if let Some(step) = &step {
                line.push_str(&log_line(&[
                    " (it asked for ",
                    step,
                    " next; Kinde takes over)",
                ]));
            }
            kinde.info(&line);
            let migrated =
                kinde::migrate(kinde, credentials.email, &auth.hashed_password, &profile).await?;
            let created = if migrated.created { "created" } else { "found" };
            kinde.info(&log_line(&[
                "drip-feed: migrated Kinde user ",
                &migrated.user_id,
                " (",
                created,
                ")",
            ]));
            return Ok(Outcome::Migrated {
                user_id: migrated.user_id,
                created: migrated.created,
            });
        }
        Verdict::MustReset(code) => {
            kinde.warn(&log_line(&[
                "drip-feed: ",
                name,
                " requires a password reset (",
                &code,
                "); not migrated",
            ]));
            (Outcome::MustReset, RESET_MESSAGE)
        }
        Verdict::Rejected(code) => {
            kinde.info(&log_line(&[
                "drip-feed: ",
                name,
                " rejected the credentials (",
                &code,
                "); not migrated",
            ]));
            (Outcome::Rejected, REJECTED_MESSAGE)
        }
        Verdict::Locked(code) => {
            kinde.warn(&log_line(&[
                "drip-feed: ",
                name,
                " reports the account locked or blocked (",
                &code,
                "); not migrated",
            ]));
            (Outcome::Locked, REJECTED_MESSAGE)
        }
        Verdict::Transient(code) => {
            kinde.warn(&log_line(&[
                "drip-feed: ",
                name,
                " could not be asked (",
                &code,
                "); not migrated, the next sign-in retries",
            ]));
            (Outcome::RetryLater, RETRY_MESSAGE)
        }
        Verdict::Misconfigured(message) => {
            kinde.error(&log_line(&["drip-feed: ", &message]));
            return Err(Error::msg(message));
        }
    };
    kinde.invalidate_form_field(PASSWORD_FIELD, message).await?;
    Ok(outcome)
}
