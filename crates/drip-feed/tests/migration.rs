//! Moving the user into Kinde: lookup first, create only when absent, idempotent
//! across failures and runs, under hosts that return or throw non-2xx answers.
//!
//! Needs every provider feature (the default).
#![cfg(all(
    feature = "generic",
    feature = "auth0",
    feature = "cognito",
    feature = "azure-b2c"
))]

mod support;

use drip_feed::{migrate_with_clock, Outcome, ATTEMPTS};
use kinde_workflow::testing::{block_on, MemoryHost};
use kinde_workflow::{FetchResponse, Method, Result};
use serde_json::json;
use std::rc::Rc;
use support::*;

const ENV: &[(&str, &str)] = &[
    ("LEGACY_PROVIDER", "generic"),
    (
        "LEGACY_VALIDATION_URL",
        "https://legacy.acme.example/validate",
    ),
];

/// A host whose legacy endpoint verifies the password (with names).
fn verified_host(kinde: &Rc<FakeKinde>, throws: bool) -> MemoryHost {
    host(ENV)
        .on_fetch(|_| {
            Ok(FetchResponse::from_json(
                200,
                json!({"result": "verified", "given_name": "Ada", "family_name": "Lovelace"}),
            ))
        })
        .on_management_api(kinde.handler(throws))
}

fn run(host: &MemoryHost) -> Result<Outcome> {
    let result = block_on(migrate_with_clock(&event(false), host, || 0));
    assert_no_secrets(&visible_text(host, &result));
    result
}

fn count(host: &MemoryHost, method: Method) -> usize {
    api_calls(host)
        .iter()
        .filter(|c| c.method == method)
        .count()
}

#[test]
fn an_imported_user_is_found_and_gets_the_hash_not_the_password() {
    for throws in [false, true] {
        let kinde = FakeKinde::with_imported_user();
        let host = verified_host(&kinde, throws);
        assert_eq!(
            run(&host).unwrap(),
            Outcome::Migrated {
                user_id: "kp_imported".into(),
                created: false
            }
        );
        let calls = api_calls(&host);
        assert_eq!(calls.len(), 2);
        assert_eq!(
            (calls[0].method, calls[0].endpoint.as_str()),
            (Method::Get, "users?email=ada%40example.com")
        );
        assert_eq!(
            (calls[1].method, calls[1].endpoint.as_str()),
            (Method::Put, "users/kp_imported/password")
        );
        assert_eq!(
            params_of(&calls[1]),
            Some(
                json!({"hashed_password": HASH, "hashing_method": "bcrypt", "is_temporary_password": false})
            )
        );
        for call in &calls {
            let params = call.params_json().unwrap_or_default();
            assert!(
                !params.contains(PASSWORD),
                "the plaintext must not reach Kinde"
            );
        }
        assert_eq!(kinde.users.borrow()[0].password_hash.as_deref(), Some(HASH));
    }
}

#[test]
fn an_absent_user_is_created_with_names_and_a_verified_email() {
    for throws in [false, true] {
        let kinde = FakeKinde::empty();
        let host = verified_host(&kinde, throws);
        assert_eq!(
            run(&host).unwrap(),
            Outcome::Migrated {
                user_id: "kp_new1".into(),
                created: true
            }
        );
        let create = api_calls(&host)
            .into_iter()
            .find(|c| c.method == Method::Post)
            .unwrap();
        assert_eq!(create.endpoint, "user");
        assert_eq!(
            params_of(&create),
            Some(json!({
                "profile": {"given_name": "Ada", "family_name": "Lovelace"},
                "identities": [{"type": "email", "is_verified": true, "details": {"email": EMAIL}}],
            }))
        );
        let users = kinde.users.borrow();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].password_hash.as_deref(), Some(HASH));
        assert_eq!(users[0].given_name.as_deref(), Some("Ada"));
    }
}

#[test]
fn set_password_failing_once_is_finished_by_the_next_run_with_one_user() {
    for throws in [false, true] {
        let kinde = FakeKinde::empty();
        kinde.fail_next(
            Method::Put,
            "users/",
            Fault::Status(400, "PASSWORD_INVALID"),
        );
        let first = verified_host(&kinde, throws);
        let err = run(&first).unwrap_err().to_string();
        assert!(
            err.starts_with("setting the Kinde password failed ("),
            "{err}"
        );
        assert!(err.contains("PASSWORD_INVALID"), "{err}");
        assert_eq!(
            count(&first, Method::Put),
            1,
            "a client error is not retried"
        );
        assert_eq!(kinde.users.borrow().len(), 1);

        let second = verified_host(&kinde, throws);
        assert_eq!(
            run(&second).unwrap(),
            Outcome::Migrated {
                user_id: "kp_new1".into(),
                created: false
            }
        );
        assert_eq!(
            count(&second, Method::Post),
            0,
            "the next run must not create again"
        );
        let users = kinde.users.borrow();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].password_hash.as_deref(), Some(HASH));
    }
}

#[test]
fn a_lost_create_answer_is_recovered_by_looking_up_again() {
    for throws in [false, true] {
        let kinde = FakeKinde::empty();
        kinde.fail_next(Method::Post, "user", Fault::ActThenLose);
        let host = verified_host(&kinde, throws);
        assert_eq!(
            run(&host).unwrap(),
            Outcome::Migrated {
                user_id: "kp_new1".into(),
                created: false
            }
        );
        assert_eq!(
            count(&host, Method::Post),
            1,
            "never a second create in one run"
        );
        assert_eq!(count(&host, Method::Get), 2);
        assert_eq!(kinde.users.borrow().len(), 1);
        assert!(host
            .logs()
            .iter()
            .any(|(_, l)| l
                .contains("creating the Kinde user failed (no answer); looking it up again")));
    }
}

#[test]
fn a_lost_create_answer_with_kinde_down_is_finished_by_the_next_run() {
    for throws in [false, true] {
        let kinde = FakeKinde::empty();
        kinde.fail_next(Method::Post, "user", Fault::ActThenLose);
        for _ in 0..ATTEMPTS {
            kinde.fail_next(
                Method::Get,
                "users?",
                Fault::Status(503, "SERVICE_UNAVAILABLE"),
            );
        }
        // The first lookup (before the create) succeeds; the faults hit the ones after.
        kinde.faults_skip_first_get();
        let first = verified_host(&kinde, throws);
        let err = run(&first).unwrap_err().to_string();
        assert!(
            err.starts_with("looking up the Kinde user failed ("),
            "{err}"
        );
        assert!(err.ends_with("; the next sign-in retries"), "{err}");
        assert_eq!(count(&first, Method::Post), 1);
        assert_eq!(kinde.users.borrow().len(), 1, "the create did happen");

        let second = verified_host(&kinde, throws);
        assert_eq!(
            run(&second).unwrap(),
            Outcome::Migrated {
                user_id: "kp_new1".into(),
                created: false
            }
        );
        assert_eq!(count(&second, Method::Post), 0, "found, not created again");
        assert_eq!(kinde.users.borrow().len(), 1);
        assert_eq!(kinde.users.borrow()[0].password_hash.as_deref(), Some(HASH));
    }
}

#[test]
fn a_throttled_create_is_retried_only_after_a_lookup() {
    for throws in [false, true] {
        let kinde = FakeKinde::empty();
        kinde.fail_next(
            Method::Post,
            "user",
            Fault::Status(429, "TOO_MANY_REQUESTS"),
        );
        let host = verified_host(&kinde, throws);
        assert_eq!(
            run(&host).unwrap(),
            Outcome::Migrated {
                user_id: "kp_new1".into(),
                created: true
            }
        );
        let methods: Vec<Method> = api_calls(&host).iter().map(|c| c.method).collect();
        assert_eq!(
            methods,
            [
                Method::Get,
                Method::Post,
                Method::Get,
                Method::Post,
                Method::Put
            ]
        );
        assert_eq!(kinde.users.borrow().len(), 1);
    }
}

#[test]
fn retries_are_immediate_and_bounded() {
    for throws in [false, true] {
        // Two throttled lookups, then success.
        let kinde = FakeKinde::with_imported_user();
        kinde.fail_next(
            Method::Get,
            "users?",
            Fault::Status(429, "TOO_MANY_REQUESTS"),
        );
        kinde.fail_next(Method::Get, "users?", Fault::Lost);
        let host = verified_host(&kinde, throws);
        assert!(matches!(run(&host).unwrap(), Outcome::Migrated { .. }));
        assert_eq!(count(&host, Method::Get), 3);

        // A password endpoint that keeps failing: exactly ATTEMPTS tries, then an error.
        let kinde = FakeKinde::with_imported_user();
        for _ in 0..ATTEMPTS + 1 {
            kinde.fail_next(Method::Put, "users/", Fault::Status(500, "INTERNAL_ERROR"));
        }
        let host = verified_host(&kinde, throws);
        let err = run(&host).unwrap_err().to_string();
        assert_eq!(count(&host, Method::Put), ATTEMPTS);
        assert!(
            err.contains("INTERNAL_ERROR") && err.ends_with("; the next sign-in retries"),
            "{err}"
        );
        assert!(kinde.users.borrow()[0].password_hash.is_none());
    }
}

#[test]
fn two_kinde_users_with_the_email_are_not_guessed_between() {
    let kinde = FakeKinde::with_imported_user();
    kinde.users.borrow_mut().push(KindeUser {
        id: "kp_twin".into(),
        email: EMAIL.to_uppercase(),
        given_name: None,
        family_name: None,
        password_hash: None,
    });
    let host = verified_host(&kinde, false);
    let err = run(&host).unwrap_err().to_string();
    assert!(
        err.starts_with("several Kinde users have this e-mail address"),
        "{err}"
    );
    assert_eq!(count(&host, Method::Put), 0);
}
