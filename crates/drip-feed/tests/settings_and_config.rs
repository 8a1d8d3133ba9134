//! Settings, the early return, configuration errors and secrets.
//!
//! Needs every provider feature (the default).
#![cfg(all(
    feature = "generic",
    feature = "auth0",
    feature = "cognito",
    feature = "azure-b2c"
))]

mod support;

use drip_feed::{
    drip_feed_migration, migrate_with_clock, Outcome, WORKFLOW_SETTINGS, WORKFLOW_SHORT_CIRCUIT,
};
use kinde_workflow::events::{Event, ExistingPasswordProvided};
use kinde_workflow::testing::{block_on, MemoryHost};
use kinde_workflow::FetchResponse;
use serde_json::json;
use support::*;

#[test]
fn settings_declare_the_bindings_used() {
    assert_eq!(
        WORKFLOW_SETTINGS.to_json(),
        r#"{"id":"dripFeedMigration","name":"Drip-feed user migration","trigger":"user:existing_password_provided","failurePolicy":{"action":"stop"},"bindings":{"kinde.fetch":{},"kinde.secureFetch":{},"kinde.env":{},"url":{},"kinde.cache":{},"kinde.widget":{},"console":{}}}"#
    );
}

#[test]
fn a_user_already_in_kinde_returns_at_once_without_any_call() {
    // No variables and no handlers: any env read, fetch or API call would show.
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    let outcome = block_on(migrate_with_clock(&event(true), &host, || {
        panic!("no clock needed")
    }));
    assert_eq!(outcome.unwrap(), Outcome::AlreadyInKinde);
    assert!(host.calls().is_empty());
    assert!(host.logs().is_empty());
    assert_eq!(
        serde_json::to_value(Outcome::AlreadyInKinde).unwrap(),
        json!({"outcome": "already_in_kinde"})
    );
    assert_eq!(
        serde_json::to_value(Outcome::Migrated {
            user_id: "kp_1".into(),
            created: true
        })
        .unwrap(),
        json!({"outcome": "migrated", "user_id": "kp_1", "created": true})
    );
}

#[test]
fn the_shims_short_circuit_gives_what_the_rust_code_gives() {
    let short_circuit = WORKFLOW_SHORT_CIRCUIT.expect("the early return is declared");
    let returning = include_str!("../events/returning-user.json");
    let first = include_str!("../events/first-sign-in.json");
    let applies = |text: &str| short_circuit.applies_to(&serde_json::from_str(text).unwrap());
    assert!(applies(returning));
    assert!(!applies(first));

    // Natively the function still runs for such an event: it must answer alike,
    // without any call.
    let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
    let event = ExistingPasswordProvided::from_json(returning).unwrap();
    let outcome = block_on(drip_feed_migration(event, &host)).unwrap();
    assert!(short_circuit.answers(&outcome), "{outcome:?}");
    assert!(host.calls().is_empty() && host.logs().is_empty());
}

fn error_for(env: &[(&str, &str)]) -> String {
    let host = host(env).on_fetch(|_| panic!("no request may be sent with a bad configuration"));
    let result = block_on(migrate_with_clock(&event(false), &host, || 0));
    assert_no_secrets(&visible_text(&host, &result));
    result.unwrap_err().to_string()
}

#[test]
fn configuration_errors_name_the_variable() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "environment variable `LEGACY_PROVIDER` is not set"),
        (&[("LEGACY_PROVIDER", "okta")], "environment variable `LEGACY_PROVIDER` is invalid: expected `generic`, `auth0`, `cognito` or `azure_b2c`"),
        (&[("LEGACY_PROVIDER", "generic")], "environment variable `LEGACY_VALIDATION_URL` is not set"),
        (&[("LEGACY_PROVIDER", "generic"), ("LEGACY_VALIDATION_URL", "http://legacy.acme.example/check")],
            "environment variable `LEGACY_VALIDATION_URL` is invalid: passwords are sent only over https:// (http:// is allowed for loopback hosts only)"),
        (&[("LEGACY_PROVIDER", "generic"), ("LEGACY_VALIDATION_URL", "https://x.example"), ("LEGACY_USE_SECURE_FETCH", "sometimes")],
            "environment variable `LEGACY_USE_SECURE_FETCH` is invalid: expected `true` or `false`"),
        (&[("LEGACY_PROVIDER", "auth0"), ("AUTH0_DOMAIN", "acme.auth0.com")], "environment variable `AUTH0_CLIENT_ID` is not set"),
        (&[("LEGACY_PROVIDER", "auth0"), ("AUTH0_DOMAIN", "http://acme.auth0.com"), ("AUTH0_CLIENT_ID", "c")],
            "environment variable `AUTH0_DOMAIN` is invalid: passwords are sent only over https:// (http:// is allowed for loopback hosts only)"),
        (&[("LEGACY_PROVIDER", "auth0"), ("AUTH0_DOMAIN", "acme.auth0.com/evil?x="), ("AUTH0_CLIENT_ID", "c")],
            "environment variable `AUTH0_DOMAIN` is invalid: use only ASCII letters, digits `-` `.` `:`"),
        (&[("LEGACY_PROVIDER", "cognito"), ("AWS_REGION", "eu-west-1.evil.example/"), ("COGNITO_CLIENT_ID", "c")],
            "environment variable `AWS_REGION` is invalid: use only ASCII letters, digits `-`"),
        (&[("LEGACY_PROVIDER", "cognito"), ("AWS_REGION", "eu-west-1"), ("COGNITO_CLIENT_ID", "c"), ("AWS_ACCESS_KEY_ID", "AKID")],
            "environment variable `AWS_SECRET_ACCESS_KEY` is not set"),
        (&[("LEGACY_PROVIDER", "cognito"), ("AWS_REGION", "eu-west-1"), ("COGNITO_CLIENT_ID", "c"), ("AWS_SECRET_ACCESS_KEY", AWS_SECRET)],
            "environment variable `AWS_ACCESS_KEY_ID` is not set"),
        (&[("LEGACY_PROVIDER", "cognito"), ("AWS_REGION", "eu-west-1"), ("COGNITO_CLIENT_ID", "c"), ("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", AWS_SECRET)],
            "environment variable `COGNITO_USER_POOL_ID` is not set"),
        (&[("LEGACY_PROVIDER", "azure_b2c"), ("AZURE_B2C_TENANT", "contoso"), ("AZURE_B2C_ROPC_POLICY", "B2C_1_ropc/../x")],
            "environment variable `AZURE_B2C_ROPC_POLICY` is invalid: use only ASCII letters, digits `-` `_`"),
    ];
    for (env, expected) in cases {
        assert_eq!(&error_for(env), expected, "{env:?}");
    }
}

#[test]
fn misconfiguration_is_an_error_and_a_log_line_without_secrets() {
    let env = [
        ("LEGACY_PROVIDER", "auth0"),
        ("AUTH0_DOMAIN", "acme.auth0.com"),
        ("AUTH0_CLIENT_ID", "c"),
        ("AUTH0_CLIENT_SECRET", AUTH0_SECRET),
    ];
    let host = host(&env).on_fetch(|_| {
        Ok(FetchResponse::from_json(
            401,
            json!({"error": "invalid_client", "error_description": AUTH0_SECRET}),
        ))
    });
    let result = block_on(migrate_with_clock(&event(false), &host, || 0));
    let err = result.as_ref().unwrap_err().to_string();
    assert!(err.starts_with("Auth0 refused the workflow's configuration (invalid_client): check AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET"), "{err}");
    assert_eq!(host.logs().len(), 1);
    assert_no_secrets(&visible_text(&host, &result));
}
