//! One row per provider answer (NOTES §5), each run under the four host behaviours:
//! status known or not × non-2xx returned or thrown.
//!
//! Needs every provider feature (the default).
#![cfg(all(
    feature = "generic",
    feature = "auth0",
    feature = "cognito",
    feature = "azure-b2c"
))]

mod support;

use drip_feed::{migrate_with_clock, Outcome, REJECTED_MESSAGE, RESET_MESSAGE, RETRY_MESSAGE};
use kinde_workflow::testing::{block_on, MemoryHost};
use kinde_workflow::{Binding, FetchRequest};
use serde_json::{json, Value};
use support::*;

/// What a row must lead to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Migrated,
    MustReset,
    Rejected,
    Locked,
    Retry,
    /// An error naming this variable.
    Misconfigured(&'static str),
}

struct Row {
    name: &'static str,
    answer: PeerAnswer,
    expect: Expect,
    /// Text the log line or error must contain (the provider's code).
    code: &'static str,
}

fn row(name: &'static str, status: u16, body: Value, expect: Expect, code: &'static str) -> Row {
    Row {
        name,
        answer: PeerAnswer::json(status, body),
        expect,
        code,
    }
}

fn text_row(
    name: &'static str,
    status: u16,
    body: &str,
    expect: Expect,
    code: &'static str,
) -> Row {
    Row {
        name,
        answer: PeerAnswer::Http(status, body.to_owned()),
        expect,
        code,
    }
}

fn transport_row() -> Row {
    Row {
        name: "no answer",
        answer: PeerAnswer::Transport,
        expect: Expect::Retry,
        code: "no answer",
    }
}

/// Runs every row under every host mode against a Kinde with the imported user.
fn run_table(provider: &str, env: &[(&str, &str)], rows: Vec<Row>, secure: bool) {
    let mut checked = 0;
    for row in &rows {
        for mode in MODES {
            let kinde = FakeKinde::with_imported_user();
            let answer = row.answer.clone();
            let peer = move |request: &FetchRequest| {
                let binding = if secure {
                    Binding::SecureFetch
                } else {
                    Binding::Fetch
                };
                deliver(mode, binding, request, answer.clone())
            };
            let host = host(env).on_management_api(kinde.handler(mode == HostMode::StatusThrown));
            let host = if secure {
                host.on_secure_fetch(peer)
            } else {
                host.on_fetch(peer)
            };
            let result = block_on(migrate_with_clock(&event(false), &host, || 1_440_938_160));
            let context = format!(
                "{provider} / {} / {mode:?}: {result:?}\nlogs: {:?}",
                row.name,
                host.logs()
            );
            check(&host, &kinde, &result, row, &context);
            assert_no_secrets(&visible_text(&host, &result));
            checked += 1;
        }
    }
    assert_eq!(checked, rows.len() * 4);
}

fn check(
    host: &MemoryHost,
    kinde: &FakeKinde,
    result: &kinde_workflow::Result<Outcome>,
    row: &Row,
    context: &str,
) {
    let logs: String = host
        .logs()
        .iter()
        .map(|(_, line)| line.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let expected_message = match row.expect {
        Expect::Migrated => {
            assert_eq!(
                result.as_ref().ok(),
                Some(&Outcome::Migrated {
                    user_id: "kp_imported".into(),
                    created: false
                }),
                "{context}"
            );
            assert_eq!(kinde.users.borrow().len(), 1, "{context}");
            assert_eq!(
                kinde.users.borrow()[0].password_hash.as_deref(),
                Some(HASH),
                "{context}"
            );
            assert!(invalidations(host).is_empty(), "{context}");
            return;
        }
        Expect::Misconfigured(variable) => {
            let err = result.as_ref().expect_err(context).to_string();
            assert!(
                err.contains(variable),
                "error should name {variable}: {context}"
            );
            assert!(
                err.contains(row.code),
                "error should carry {}: {context}",
                row.code
            );
            assert!(
                api_calls(host).is_empty() && invalidations(host).is_empty(),
                "{context}"
            );
            return;
        }
        Expect::MustReset => (Outcome::MustReset, RESET_MESSAGE),
        Expect::Rejected => (Outcome::Rejected, REJECTED_MESSAGE),
        Expect::Locked => (Outcome::Locked, REJECTED_MESSAGE),
        Expect::Retry => (Outcome::RetryLater, RETRY_MESSAGE),
    };
    assert_eq!(result.as_ref().ok(), Some(&expected_message.0), "{context}");
    assert_eq!(
        invalidations(host),
        vec![("p_password".to_owned(), expected_message.1.to_owned())],
        "{context}"
    );
    assert!(api_calls(host).is_empty(), "no migration: {context}");
    assert!(kinde.users.borrow()[0].password_hash.is_none(), "{context}");
    assert!(
        logs.contains(row.code),
        "log should carry {}: {context}",
        row.code
    );
}

const AUTH0_ENV: &[(&str, &str)] = &[
    ("LEGACY_PROVIDER", "auth0"),
    ("AUTH0_DOMAIN", "acme.eu.auth0.com"),
    ("AUTH0_CLIENT_ID", "auth0-client"),
    ("AUTH0_CLIENT_SECRET", AUTH0_SECRET),
    ("AUTH0_AUDIENCE", "https://api.acme.example"),
];

fn auth0_error(error: &str) -> Value {
    json!({"error": error, "error_description": "described"})
}

#[test]
fn auth0_answers() {
    use Expect::*;
    let id_token = jwt(json!({"given_name": "Ada", "family_name": "Lovelace"}));
    run_table(
        "auth0",
        AUTH0_ENV,
        vec![
            row(
                "tokens",
                200,
                json!({"access_token": "at", "id_token": id_token, "token_type": "Bearer", "expires_in": 86400}),
                Migrated,
                "",
            ),
            row(
                "mfa required",
                403,
                json!({"error": "mfa_required", "error_description": "Multifactor authentication required", "mfa_token": "m"}),
                Migrated,
                "",
            ),
            row(
                "wrong password or unknown user",
                403,
                auth0_error("invalid_grant"),
                Rejected,
                "invalid_grant",
            ),
            row(
                "too many attempts",
                429,
                auth0_error("too_many_attempts"),
                Locked,
                "too_many_attempts",
            ),
            row(
                "blocked user",
                401,
                auth0_error("unauthorized"),
                Locked,
                "unauthorized",
            ),
            row(
                "leaked password",
                403,
                auth0_error("password_leaked"),
                MustReset,
                "password_leaked",
            ),
            row(
                "rate limited",
                429,
                auth0_error("too_many_requests"),
                Retry,
                "too_many_requests",
            ),
            row(
                "invalid client",
                401,
                auth0_error("invalid_client"),
                Misconfigured("AUTH0_CLIENT_SECRET"),
                "invalid_client",
            ),
            row(
                "grant not enabled",
                403,
                auth0_error("unauthorized_client"),
                Misconfigured("AUTH0_CLIENT_ID"),
                "unauthorized_client",
            ),
            text_row(
                "outage",
                503,
                "<html>Service Unavailable</html>",
                Retry,
                "unrecognised body",
            ),
            text_row("empty 500", 500, "", Retry, "empty body"),
            text_row(
                "malformed 200",
                200,
                "{\"access_tok",
                Retry,
                "unrecognised body",
            ),
            text_row("empty 200", 200, "", Retry, "empty body"),
            transport_row(),
        ],
        false,
    );
}

const COGNITO_ENV: &[(&str, &str)] = &[
    ("LEGACY_PROVIDER", "cognito"),
    ("AWS_REGION", "eu-west-1"),
    ("COGNITO_CLIENT_ID", "app-client-1"),
    ("COGNITO_CLIENT_SECRET", COGNITO_SECRET),
    ("COGNITO_USER_POOL_ID", "eu-west-1_AbCdEf"),
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
    ("AWS_SESSION_TOKEN", AWS_TOKEN),
];

fn cognito_error(error_type: &str, message: &str) -> Value {
    json!({"__type": error_type, "message": message})
}

#[test]
fn cognito_answers() {
    use Expect::*;
    let id_token = jwt(json!({"given_name": "Ada", "family_name": "Lovelace"}));
    let all = "AWS_SECRET_ACCESS_KEY";
    run_table(
        "cognito",
        COGNITO_ENV,
        vec![
            row(
                "tokens",
                200,
                json!({"AuthenticationResult": {"IdToken": id_token, "AccessToken": "a"}, "ChallengeParameters": {}}),
                Migrated,
                "",
            ),
            row(
                "SMS MFA",
                200,
                json!({"ChallengeName": "SMS_MFA", "Session": "s"}),
                Migrated,
                "",
            ),
            row(
                "TOTP MFA",
                200,
                json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s"}),
                Migrated,
                "",
            ),
            row(
                "MFA setup",
                200,
                json!({"ChallengeName": "MFA_SETUP", "Session": "s"}),
                Migrated,
                "",
            ),
            row(
                "new password required",
                200,
                json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s"}),
                MustReset,
                "NEW_PASSWORD_REQUIRED",
            ),
            row(
                "wrong password",
                400,
                cognito_error("NotAuthorizedException", "Incorrect username or password."),
                Rejected,
                "NotAuthorizedException",
            ),
            row(
                "wrong password, prefixed type",
                400,
                cognito_error(
                    "com.amazonaws.cognito#NotAuthorizedException",
                    "Incorrect username or password.",
                ),
                Rejected,
                "NotAuthorizedException",
            ),
            row(
                "unknown user",
                400,
                cognito_error("UserNotFoundException", "User does not exist."),
                Rejected,
                "UserNotFoundException",
            ),
            row(
                "reset required",
                400,
                cognito_error(
                    "PasswordResetRequiredException",
                    "Password reset required for the user",
                ),
                MustReset,
                "PasswordResetRequiredException",
            ),
            row(
                "not confirmed",
                400,
                cognito_error("UserNotConfirmedException", "User is not confirmed."),
                Locked,
                "UserNotConfirmedException",
            ),
            row(
                "attempts exceeded",
                400,
                cognito_error("NotAuthorizedException", "Password attempts exceeded"),
                Locked,
                "NotAuthorizedException",
            ),
            row(
                "disabled",
                400,
                cognito_error("NotAuthorizedException", "User is disabled."),
                Locked,
                "NotAuthorizedException",
            ),
            row(
                "throttled",
                400,
                cognito_error("TooManyRequestsException", "Rate exceeded"),
                Retry,
                "TooManyRequestsException",
            ),
            row(
                "internal error",
                500,
                cognito_error("InternalErrorException", "Internal error"),
                Retry,
                "InternalErrorException",
            ),
            row(
                "bad secret hash",
                400,
                cognito_error(
                    "NotAuthorizedException",
                    "Unable to verify secret hash for client app-client-1",
                ),
                Misconfigured("COGNITO_CLIENT_SECRET"),
                "NotAuthorizedException",
            ),
            row(
                "unknown pool or client",
                400,
                cognito_error(
                    "ResourceNotFoundException",
                    "User pool client does not exist.",
                ),
                Misconfigured("COGNITO_CLIENT_ID"),
                "ResourceNotFoundException",
            ),
            row(
                "flow not enabled",
                400,
                cognito_error(
                    "InvalidParameterException",
                    "Auth flow not enabled for this client",
                ),
                Misconfigured("COGNITO_USER_POOL_ID"),
                "InvalidParameterException",
            ),
            row(
                "unknown access key",
                400,
                cognito_error(
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                ),
                Misconfigured(all),
                "UnrecognizedClientException",
            ),
            text_row(
                "bad signature (XML)",
                403,
                "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>",
                Misconfigured(all),
                "SignatureDoesNotMatch",
            ),
            text_row("outage", 502, "Bad Gateway", Retry, "unrecognised body"),
            text_row("empty 200", 200, "", Retry, "empty body"),
            transport_row(),
        ],
        false,
    );
}

const AZURE_ENV: &[(&str, &str)] = &[
    ("LEGACY_PROVIDER", "azure_b2c"),
    ("AZURE_B2C_TENANT", "contoso"),
    ("AZURE_B2C_ROPC_POLICY", "B2C_1_ropc"),
    ("AZURE_B2C_CLIENT_ID", "b2c-app-id"),
];

fn b2c_error(error: &str, code: &str) -> Value {
    json!({"error": error, "error_description": format!("{code}: described.\r\nCorrelation ID: 1\r\nTimestamp: 2026-01-01 00:00:00Z")})
}

#[test]
fn azure_b2c_answers() {
    use Expect::*;
    let id_token = jwt(json!({"given_name": "Ada", "family_name": "Lovelace"}));
    let vars = "AZURE_B2C_CLIENT_ID";
    run_table(
        "azure_b2c",
        AZURE_ENV,
        vec![
            row(
                "tokens",
                200,
                json!({"access_token": "a", "id_token": id_token, "token_type": "Bearer"}),
                Migrated,
                "",
            ),
            row(
                "wrong credentials",
                400,
                b2c_error("invalid_grant", "AADB2C90225"),
                Rejected,
                "AADB2C90225",
            ),
            row(
                "locked",
                400,
                b2c_error("invalid_grant", "AADB2C90111"),
                Locked,
                "AADB2C90111",
            ),
            row(
                "temporarily locked",
                400,
                b2c_error("invalid_grant", "AADB2C90114"),
                Locked,
                "AADB2C90114",
            ),
            row(
                "expired password",
                400,
                b2c_error("invalid_grant", "AADSTS50055"),
                MustReset,
                "AADSTS50055",
            ),
            row(
                "expired password, user flow's default text without a code",
                400,
                json!({"error": "access_denied", "error_description": "Your password has expired.\r\nCorrelation ID: 1\r\nTimestamp: 2026-01-01 00:00:00Z\r\n"}),
                MustReset,
                "password_expired",
            ),
            row(
                "service unavailable",
                503,
                b2c_error("server_error", "AADB2C90035"),
                Retry,
                "AADB2C90035",
            ),
            row(
                "internal error",
                400,
                b2c_error("server_error", "AADB2C90085"),
                Retry,
                "AADB2C90085",
            ),
            row(
                "app not set up for ROPC",
                400,
                b2c_error("invalid_request", "AADB2C90224"),
                Misconfigured(vars),
                "AADB2C90224",
            ),
            row(
                "implicit flow off",
                400,
                b2c_error("unauthorized_client", "AADB2C90057"),
                Misconfigured(vars),
                "AADB2C90057",
            ),
            row(
                "public client off",
                400,
                b2c_error("invalid_request", "AADB2C90058"),
                Misconfigured(vars),
                "AADB2C90058",
            ),
            text_row("outage", 500, "", Retry, "empty body"),
            transport_row(),
        ],
        false,
    );
}

const GENERIC_ENV: &[(&str, &str)] = &[
    ("LEGACY_PROVIDER", "generic"),
    (
        "LEGACY_VALIDATION_URL",
        "https://legacy.acme.example/validate",
    ),
];

fn generic_rows() -> Vec<Row> {
    use Expect::*;
    vec![
        row(
            "verified",
            200,
            json!({"result": "verified", "given_name": "Ada"}),
            Migrated,
            "",
        ),
        row(
            "mfa required",
            200,
            json!({"result": "mfa_required"}),
            Migrated,
            "",
        ),
        row(
            "reset required",
            403,
            json!({"result": "reset_required"}),
            MustReset,
            "reset_required",
        ),
        row(
            "rejected",
            401,
            json!({"result": "rejected"}),
            Rejected,
            "rejected",
        ),
        row("locked", 423, json!({"result": "locked"}), Locked, "locked"),
        row(
            "rate limited",
            429,
            json!({"error": "slow down"}),
            Retry,
            "unrecognised body",
        ),
        text_row("outage", 500, "oops", Retry, "unrecognised body"),
        text_row("empty", 200, "", Retry, "empty body"),
        transport_row(),
    ]
}

#[test]
fn generic_answers_over_fetch() {
    run_table("generic", GENERIC_ENV, generic_rows(), false);
}

#[test]
fn generic_answers_over_secure_fetch() {
    let env = [GENERIC_ENV, &[("LEGACY_USE_SECURE_FETCH", "true")]].concat();
    run_table("generic+secureFetch", &env, generic_rows(), true);
}

fn jwt(claims: Value) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2ln",
        engine.encode(br#"{"alg":"RS256"}"#),
        engine.encode(claims.to_string())
    )
}
