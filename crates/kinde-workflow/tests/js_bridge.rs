//! `JsHost` and `js::run` over bindings objects built in JavaScript (see `support`),
//! run under Node with `wasm-bindgen-test-runner` (`scripts/wasm-bindgen-test.sh`).
//!
//! Panics are tested in `js_panic.rs`: after a trapped panic std considers the thread
//! still panicking, so the instance cannot run further `JsHost::enter`s.

#![cfg(target_arch = "wasm32")]

mod support;

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::js::{self, JsHost};
use kinde_workflow::{
    wire, ApiRequest, Binding, EnvVar, Error, FetchRequest, FetchResponse, Host, LogLevel, Method,
};
use serde_json::{json, Value};
use support::{answer, expect_binding_error, restore_runner_hook, Fake};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn sample_request() -> FetchRequest {
    FetchRequest::post("https://idp.example/login?x=1&y=%20")
        .header("Authorization", "Bearer t0k€n")
        .json(&json!({"email": "ada@example.com", "password": "p\"w\n"}))
        .unwrap()
}

// ---- fetch -----------------------------------------------------------------------

#[wasm_bindgen_test]
fn fetch_request_reaches_js_exactly_as_encoded() {
    let answer_json = json!([201, [["x-a", "1"]], r#"{"ok":true}"#, {"ok": true}]);
    let fake = Fake::new(json!({ "kindeFetch": answer("value", answer_json) }));
    let request = sample_request();
    let response = futures_block_on_ready(fake.host().fetch(request.clone())).unwrap();

    let args = fake.only_call("kindeFetch");
    assert_eq!(args.len(), 1);
    let seen = args[0].as_str().expect("request travels as a string");
    assert_eq!(seen, wire::encode_fetch(&request));
    assert_eq!(
        request_parts(seen),
        (
            json!([
                "https://idp.example/login?x=1&y=%20",
                "POST",
                {"Authorization": "Bearer t0k€n", "Content-Type": "application/json"},
            ]),
            Some(r#"{"email":"ada@example.com","password":"p\"w\n"}"#)
        )
    );

    let mut expected = FetchResponse::text(201, r#"{"ok":true}"#);
    expected.headers = Some(vec![("x-a".into(), "1".into())]);
    assert_eq!(response, expected);
    assert_eq!(response.json::<Value>().unwrap(), json!({"ok": true}));
    assert!(response.is_success());
}

/// The head of an encoded fetch request as `[url, method, headers]`, and its body, read
/// as the shim reads them.
fn request_parts(encoded: &str) -> (Value, Option<&str>) {
    let (head, body) = match encoded.split_once('\n') {
        Some((head, body)) => (head, Some(body)),
        None => (encoded, None),
    };
    if head.starts_with('[') {
        return (serde_json::from_str(head).unwrap(), body);
    }
    let fields: Vec<&str> = head.split('\0').collect();
    let headers: serde_json::Map<String, Value> = fields[2..]
        .chunks(2)
        .map(|pair| (pair[0].to_owned(), Value::from(pair[1])))
        .collect();
    (json!([fields[0], fields[1], headers]), body)
}

/// `JsHost::fetch` answered synchronously must not need the event loop: it is ready on
/// its first poll.
fn futures_block_on_ready<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a synchronous answer left the future pending"),
    }
}

#[wasm_bindgen_test]
async fn fetch_answered_by_a_promise_without_status() {
    let fake = Fake::new(
        json!({ "kindeFetch": answer("later", json!([null, null, "plain body", null])) }),
    );
    let request = FetchRequest::get("https://a.example/");
    let response = fake.host().fetch(request.clone()).await.unwrap();

    let args = fake.only_call("kindeFetch");
    assert_eq!(args, vec![Value::String(wire::encode_fetch(&request))]);
    assert_eq!(
        request_parts(args[0].as_str().unwrap()),
        (json!(["https://a.example/", "GET", {}]), None)
    );
    assert_eq!(response.status, None);
    assert_eq!(response.headers, None);
    assert_eq!(response.body(), "plain body");
    let err = response.json::<Value>().unwrap_err();
    assert_eq!((err.path(), err.message()), (".", "not JSON"));
    assert!(!response.is_success());
}

#[wasm_bindgen_test]
async fn fetch_sends_form_and_text_bodies_as_text() {
    let fake =
        Fake::new(json!({ "kindeFetch": answer("promise", json!([null, null, null, {"n": 1}])) }));
    let host = fake.host();
    let form = FetchRequest::post("https://a.example/token").form([("a", "1 2"), ("b", "x&y=z")]);
    let text = FetchRequest::new(Method::Put, "https://a.example/t").text("raw");
    let response = host.fetch(form).await.unwrap();
    host.fetch(text).await.unwrap();

    // A host answer with only `json`: that JSON is the text.
    assert_eq!(response.body(), r#"{"n":1}"#);
    assert_eq!(response.json::<Value>().unwrap(), json!({"n": 1}));
    let bodies: Vec<(Value, Option<String>)> = fake
        .calls()
        .iter()
        .map(|call| {
            let (head, body) = request_parts(call["args"][0].as_str().unwrap());
            (head[1].clone(), body.map(str::to_owned))
        })
        .collect();
    assert_eq!(
        bodies,
        vec![
            (json!("POST"), Some("a=1+2&b=x%26y%3Dz".to_owned())),
            (json!("PUT"), Some("raw".to_owned()))
        ]
    );
}

#[wasm_bindgen_test]
async fn secure_fetch_uses_its_own_binding() {
    let fake = Fake::new(json!({
        "kindeSecureFetch": answer("promise", json!([200, null, "ok", null])),
        "kindeFetch": answer("throw", "must not be called"),
    }));
    let request = sample_request();
    let response = fake.host().secure_fetch(request.clone()).await.unwrap();

    let args = fake.only_call("kindeSecureFetch");
    assert_eq!(args, vec![Value::String(wire::encode_fetch(&request))]);
    assert_eq!(response.status, Some(200));
    assert_eq!(response.body(), "ok");
}

// ---- env -------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn env_present_missing_and_secret() {
    let present = Fake::new(json!({ "kindeEnv": answer("value", "0v1") }));
    assert_eq!(
        present.host().env("PLAIN").await.unwrap(),
        Some(EnvVar::new("v1", false))
    );
    assert_eq!(present.only_call("kindeEnv"), vec![json!("PLAIN")]);

    let secret = Fake::new(json!({ "kindeEnv": answer("promise", "1s3cr3t") }));
    let var = secret.host().env("API_KEY").await.unwrap().unwrap();
    assert!(var.is_secret());
    assert_eq!(var.value(), "s3cr3t");
    assert!(!format!("{var:?}").contains("s3cr3t"), "{var:?}");
    assert_eq!(secret.only_call("kindeEnv"), vec![json!("API_KEY")]);

    let missing = Fake::new(json!({ "kindeEnv": answer("later", "-") }));
    let host = missing.host();
    assert_eq!(host.env("NOPE").await.unwrap(), None);
    let err = host.required_env("NOPE").await.unwrap_err();
    assert_eq!(err.to_string(), "environment variable `NOPE` is not set");
    assert_eq!(missing.calls().len(), 2);
}

#[wasm_bindgen_test]
async fn required_env_rejects_an_empty_value() {
    let fake = Fake::new(json!({ "kindeEnv": answer("value", "0") }));
    let err = fake.host().required_env("EMPTY").await.unwrap_err();
    assert!(
        matches!(err, Error::MissingEnv { ref name } if name == "EMPTY"),
        "{err:?}"
    );
}

// ---- Management API, widget, auth ------------------------------------------------

#[wasm_bindgen_test]
async fn management_api_call_is_encoded_and_answer_parsed() {
    #[derive(serde::Serialize)]
    struct NewPassword<'a> {
        hashed_password: &'a str,
        hashing_method: &'a str,
        is_temporary_password: bool,
        identities: [Identity<'a>; 1],
        note: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct Identity<'a> {
        #[serde(rename = "type")]
        kind: &'a str,
        count: u32,
    }
    let fake = Fake::new(json!({
        "kindeManagementApi": answer("promise", json!({"users": [{"id": "kp_1"}]})),
    }));
    let host = fake.host();
    let params = NewPassword {
        hashed_password: "$2a$h \"é\"",
        hashing_method: "bcrypt",
        is_temporary_password: false,
        identities: [Identity {
            kind: "email",
            count: 70_000,
        }],
        note: None,
    };
    let put = ApiRequest::put("users/kp_1/password", &params).unwrap();
    let get = ApiRequest::get("users?email=ada%40example.com");
    let answer = host.management_api(put.clone()).await.unwrap();
    host.management_api(get.clone()).await.unwrap();

    assert_eq!(answer.body(), r#"{"users":[{"id":"kp_1"}]}"#);
    assert_eq!(
        answer.json::<Value>().unwrap(),
        json!({"users": [{"id": "kp_1"}]})
    );
    // The parameters cross as the value serde_json's text would parse to, not as text.
    let written = json!({
        "hashed_password": "$2a$h \"é\"", "hashing_method": "bcrypt",
        "is_temporary_password": false, "identities": [{"type": "email", "count": 70_000}],
        "note": null,
    });
    assert_eq!(serde_json::to_value(&params).unwrap(), written);
    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0]["args"],
        json!(["put", "users/kp_1/password", written])
    );
    // No parameters cross as `undefined` (recorded as JSON: `null`).
    assert_eq!(
        calls[1]["args"],
        json!(["get", "users?email=ada%40example.com", null])
    );
    assert_eq!(calls[1]["types"][2], "undefined");
    assert_eq!(calls[0]["types"][2], "object");
    // As text, in the fields' order, as serde_json writes it natively.
    assert_eq!(
        put.params_json().as_deref(),
        Some(serde_json::to_string(&params).unwrap().as_str())
    );
    assert_eq!(get.params_json(), None);
}

#[wasm_bindgen_test]
async fn invalidate_form_field_and_deny_access_reach_js() {
    let fake = Fake::new(json!({
        "kindeInvalidateFormField": answer("promise", Value::Null),
        // A non-string, non-Promise answer is fine for these bindings: it is ignored.
        "kindeDenyAccess": answer("value", 7),
    }));
    let host = fake.host();
    host.invalidate_form_field("p_password", "Wrong password")
        .await
        .unwrap();
    host.deny_access("Account locked").await.unwrap();

    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["name"], "kindeInvalidateFormField");
    assert_eq!(calls[0]["args"], json!(["p_password", "Wrong password"]));
    assert_eq!(calls[1]["name"], "kindeDenyAccess");
    assert_eq!(calls[1]["args"], json!(["Account locked"]));
}

#[wasm_bindgen_test]
async fn widget_and_auth_failures_name_their_bindings() {
    let fake = Fake::new(json!({
        "kindeInvalidateFormField": answer("throw", "no widget here"),
        "kindeDenyAccess": answer("rejectLater", "deny failed"),
    }));
    let host = fake.host();
    let err = host.invalidate_form_field("f", "m").await.unwrap_err();
    expect_binding_error(err, Binding::Widget, "no widget here");
    let err = host.deny_access("r").await.unwrap_err();
    expect_binding_error(err, Binding::Auth, "deny failed");
}

// ---- token claims, MFA, plan, localization, M2M tokens ----------------------------

#[wasm_bindgen_test]
async fn claims_travel_as_name_and_json_value() {
    let fake = Fake::new(json!({
        "kindeSetIdTokenClaim": answer("value", Value::Null),
        "kindeSetAccessTokenClaim": answer("promise", Value::Null),
        "kindeSetM2mTokenClaim": answer("value", Value::Null),
        "kindeAccessTokenClaims": answer("value", r#"{"plan":"pro"}"#),
        "kindeIdTokenClaims": answer("later", "null"),
        "kindeM2mTokenClaims": answer("value", "[1]"),
    }));
    let host = fake.host();
    host.set_id_token_claim("roles", &["a", "b"]).await.unwrap();
    host.set_access_token_claim("plan", "pro").await.unwrap();
    host.set_m2m_token_claim("org", &json!({"code": "org_1"}))
        .await
        .unwrap();
    let access = host.access_token_claims().await.unwrap();
    assert_eq!(Value::Object(access), json!({"plan": "pro"}));
    assert!(host.id_token_claims().await.unwrap().is_empty());
    let err = host.m2m_token_claims().await.unwrap_err();
    expect_binding_error(err, Binding::M2mToken, "custom claims are not an object");

    let calls = fake.calls();
    let names: Vec<&str> = calls.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "kindeSetIdTokenClaim",
            "kindeSetAccessTokenClaim",
            "kindeSetM2mTokenClaim",
            "kindeAccessTokenClaims",
            "kindeIdTokenClaims",
            "kindeM2mTokenClaims",
        ]
    );
    assert_eq!(calls[0]["args"], json!(["roles", r#"["a","b"]"#]));
    assert_eq!(calls[2]["args"], json!(["org", r#"{"code":"org_1"}"#]));
    assert_eq!(calls[3]["args"], json!([]));
}

#[wasm_bindgen_test]
async fn mfa_and_plan_decisions_reach_js() {
    let fake = Fake::new(json!({
        "kindeSetMfaEnforcementPolicy": answer("value", Value::Null),
        "kindeDenyPlanSelection": answer("promise", Value::Null),
        "kindeDenyPlanCancellation": answer("throw", "plan binding not available"),
    }));
    let host = fake.host();
    host.set_mfa_enforcement_policy(kinde_workflow::MfaEnforcementPolicy::Skip)
        .await
        .unwrap();
    host.deny_plan_selection("Over quota", Some(json!(["Stay on pro"])))
        .await
        .unwrap();
    host.deny_plan_selection("No", None).await.unwrap();
    let err = host.deny_plan_cancellation("Unpaid").await.unwrap_err();
    expect_binding_error(err, Binding::Plan, "plan binding not available");

    let calls = fake.calls();
    assert_eq!(calls[0]["args"], json!(["skip"]));
    assert_eq!(
        calls[1]["args"],
        json!(["Over quota", r#"["Stay on pro"]"#])
    );
    assert_eq!(calls[2]["args"], json!(["No", "null"]));
    assert_eq!(calls[3]["args"], json!(["Unpaid"]));
}

#[wasm_bindgen_test]
async fn localization_and_m2m_token_answers_are_decoded() {
    let fake = Fake::new(json!({
        "kindeLocalization": answer("value", r#""Bonjour""#),
        "kindeM2mToken": answer("promise", "eyJ.token"),
    }));
    let host = fake.host();
    assert_eq!(
        host.localization("greeting").await.unwrap().as_deref(),
        Some("Bonjour")
    );
    let request = kinde_workflow::M2mTokenRequest::new(
        "https://k.example",
        "cid",
        kinde_workflow::Secret::new("client-secret"),
    );
    let token = host.m2m_token(request.clone()).await.unwrap();
    assert_eq!(token.expose(), "eyJ.token");
    let calls = fake.calls();
    assert_eq!(calls[0]["args"], json!(["greeting"]));
    assert_eq!(calls[1]["args"][0], wire::encode_m2m_token(&request));
}

#[wasm_bindgen_test]
async fn an_empty_m2m_token_is_an_error() {
    let fake = Fake::new(json!({ "kindeM2mToken": answer("value", "") }));
    let request =
        kinde_workflow::M2mTokenRequest::new("https://k", "c", kinde_workflow::Secret::new("s"));
    let err = fake.host().m2m_token(request).await.unwrap_err();
    expect_binding_error(err, Binding::Cache, "no M2M token was returned");
}

// ---- thrown and rejected ---------------------------------------------------------

#[wasm_bindgen_test]
async fn a_throwing_binding_is_a_binding_error() {
    let fake = Fake::new(json!({
        "kindeFetch": answer("throw", "network down"),
        "kindeSecureFetch": answer("throw", "no key"),
        "kindeEnv": answer("throw", "env unavailable"),
        "kindeManagementApi": answer("throw", "M2M app not authorised"),
    }));
    let host = fake.host();
    let err = host
        .fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(err, Binding::Fetch, "network down");
    let err = host
        .secure_fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(err, Binding::SecureFetch, "no key");
    let err = host.env("X").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "env unavailable");
    let err = host
        .management_api(ApiRequest::get("users"))
        .await
        .unwrap_err();
    // The Management API goes through `createKindeAPI`, i.e. `kinde.fetch`.
    expect_binding_error(err, Binding::Fetch, "M2M app not authorised");
    assert_eq!(fake.calls().len(), 4);
}

#[wasm_bindgen_test]
async fn a_rejected_promise_is_a_binding_error() {
    let fake = Fake::new(json!({
        "kindeFetch": answer("reject", "HTTP 502"),
        "kindeSecureFetch": answer("rejectLater", "timed out"),
        "kindeEnv": answer("reject", "env rejected"),
    }));
    let host = fake.host();
    let err = host
        .fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(err, Binding::Fetch, "HTTP 502");
    let err = host
        .secure_fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(err, Binding::SecureFetch, "timed out");
    let err = host.env("X").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "env rejected");
}

#[wasm_bindgen_test]
async fn thrown_non_errors_are_described() {
    let fake = Fake::new(json!({
        "kindeFetch": answer("throwValue", "a bare string"),
        "kindeEnv": answer("rejectValue", json!({"code": 42})),
    }));
    let host = fake.host();
    let err = host
        .fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(err, Binding::Fetch, "a bare string");
    let err = host.env("X").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "non-error value thrown");
}

// ---- malformed adapter answers ---------------------------------------------------

#[wasm_bindgen_test]
async fn an_answer_of_the_wrong_shape_is_a_clear_error() {
    let fake = Fake::new(json!({
        "kindeFetch": answer("value", json!({"status": 200})),
        "kindeSecureFetch": answer("value", json!(["200", null, "", null])),
        "kindeEnv": answer("promise", 3),
    }));
    let host = fake.host();
    let err = host
        .fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(
        err,
        Binding::Fetch,
        "adapter did not return [status, headers, text, json]",
    );
    let err = host
        .secure_fetch(FetchRequest::get("https://a.example/"))
        .await
        .unwrap_err();
    expect_binding_error(
        err,
        Binding::SecureFetch,
        "unreadable fetch status: at `.`: invalid type: string, expected u16",
    );
    let err = host.env("X").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "adapter did not return a string");
}

#[wasm_bindgen_test]
async fn a_string_that_is_not_the_expected_encoding_is_a_clear_error() {
    let fake = Fake::new(json!({ "kindeEnv": answer("promise", "{") }));
    let err = fake.host().env("X").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "unreadable env result");
}

#[wasm_bindgen_test]
async fn management_api_answers_are_read_as_the_api_gave_them() {
    let fake = Fake::new(json!({ "kindeManagementApi": answer("value", Value::Null) }));
    let host = fake.host();
    let nothing = host.management_api(ApiRequest::get("users")).await.unwrap();
    assert_eq!(nothing.json::<Option<Value>>().unwrap(), None);
    assert_eq!(nothing.body(), "null");

    let fake = Fake::new(json!({ "kindeManagementApi": answer("value", 7) }));
    let seven = fake
        .host()
        .management_api(ApiRequest::get("users"))
        .await
        .unwrap();
    let err = seven.json::<Vec<String>>().unwrap_err();
    assert_eq!(
        (err.path(), err.message()),
        (".", "invalid type: integer, expected a sequence")
    );
}

#[wasm_bindgen_test]
async fn env_value_of_the_wrong_type_is_an_error() {
    let fake = Fake::new(json!({ "kindeEnv": answer("value", "?") }));
    let err = fake.host().env("N").await.unwrap_err();
    expect_binding_error(err, Binding::Env, "env value is not a string");
}

// ---- log and panic ---------------------------------------------------------------

#[wasm_bindgen_test]
fn log_levels_pass_through() {
    let fake = Fake::new(json!({}));
    let host = fake.host();
    host.log(LogLevel::Debug, "d");
    host.log(LogLevel::Log, "l");
    host.info("i");
    host.warn("w");
    host.error("e ✓");

    let calls = fake.calls();
    assert!(
        calls.iter().all(|call| call["name"] == "kindeLog"),
        "{calls:?}"
    );
    let args: Vec<&Value> = calls.iter().map(|call| &call["args"]).collect();
    assert_eq!(
        args,
        [
            &json!(["debug", "d"]),
            &json!(["log", "l"]),
            &json!(["info", "i"]),
            &json!(["warn", "w"]),
            &json!(["error", "e ✓"]),
        ]
    );
}

/// A value the host holds, as JSON text (as `Workflow` resolves with it).
fn json_text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

// ---- js::run ---------------------------------------------------------------------

const GOOD_EVENT: &str = r#"{
  "request": {"ip": "203.0.113.7"},
  "context": {
    "domains": {"kindeDomain": "https://example.kinde.com"},
    "auth": {"providedEmail": "ada@example.com", "password": "pw", "hashedPassword": "$2a$h",
             "hasUserRecordInKinde": false},
    "somethingNew": true
  }
}"#;

/// A small workflow: reads a variable, calls an IdP and reports what it saw.
async fn lookup(event: ExistingPasswordProvided, kinde: JsHost) -> kinde_workflow::Result<Value> {
    let base = kinde.required_env("IDP_URL").await?;
    let response = kinde
        .fetch(
            FetchRequest::post(format!("{}/check", base.value())).json(&json!({
                "email": event.context.auth.provided_email,
            }))?,
        )
        .await?;
    kinde.info("checked");
    Ok(json!({
        "email": event.context.auth.provided_email,
        "ip": event.request.ip,
        "status": response.status,
        "known": response.json::<Value>().ok().and_then(|j| j.get("known").cloned()),
    }))
}

/// The event Kinde would pass: `json` parsed by the host.
fn event(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn lookup_fake(fetch: Value) -> Fake {
    Fake::new(json!({
        "kindeEnv": answer("promise", "0https://idp.example"),
        "kindeFetch": fetch,
    }))
}

#[wasm_bindgen_test]
async fn run_resolves_with_the_workflows_json() {
    let fake = lookup_fake(answer(
        "later",
        json!([200, null, r#"{"known":true}"#, {"known": true}]),
    ));
    let outcome = js::run(&event(GOOD_EVENT), fake.bindings.clone(), lookup)
        .await
        .map(|value| json_text(&value));
    restore_runner_hook();

    let result: Value = serde_json::from_str(&outcome.unwrap()).unwrap();
    assert_eq!(
        result,
        json!({"email": "ada@example.com", "ip": "203.0.113.7", "status": 200, "known": true})
    );
    let calls = fake.calls();
    let names: Vec<&Value> = calls.iter().map(|call| &call["name"]).collect();
    assert_eq!(
        names,
        [&json!("kindeEnv"), &json!("kindeFetch"), &json!("kindeLog")]
    );
    assert_eq!(calls[0]["args"], json!(["IDP_URL"]));
    let (head, body) = request_parts(calls[1]["args"][0].as_str().unwrap());
    assert_eq!(head[0], "https://idp.example/check");
    assert_eq!(body, Some(r#"{"email":"ada@example.com"}"#));
    assert_eq!(calls[2]["args"], json!(["info", "checked"]));
}

#[wasm_bindgen_test]
async fn run_rejects_a_malformed_event_without_calling_the_workflow() {
    let fake = lookup_fake(answer("throw", "unused"));
    let bad = r#"{"context":{"domains":{"kindeDomain":"https://x.kinde.com"},
        "auth":{"password":"p","hashedPassword":"h","hasUserRecordInKinde":true}}}"#;
    let outcome = js::run(&event(bad), fake.bindings.clone(), lookup)
        .await
        .map(|value| json_text(&value));
    restore_runner_hook();

    assert_eq!(
        outcome,
        Err("invalid event at `context.auth.providedEmail`: missing field".to_owned())
    );
    assert!(fake.calls().is_empty());

    let not_an_object = JsValue::from_str("not json");
    let outcome = js::run(&not_an_object, fake.bindings.clone(), lookup)
        .await
        .map(|value| json_text(&value));
    restore_runner_hook();
    assert_eq!(
        outcome,
        Err(
            "invalid event at `.`: invalid type: string, expected struct ExistingPasswordProvided"
                .to_owned()
        )
    );
}

#[wasm_bindgen_test]
async fn run_rejects_with_the_workflows_error() {
    let fake = lookup_fake(answer("rejectLater", "connect ECONNREFUSED"));
    let outcome = js::run(&event(GOOD_EVENT), fake.bindings.clone(), lookup)
        .await
        .map(|value| json_text(&value));
    restore_runner_hook();
    assert_eq!(
        outcome,
        Err("`kinde.fetch` failed: connect ECONNREFUSED".to_owned())
    );

    let missing = Fake::new(json!({ "kindeEnv": answer("value", "-") }));
    let outcome = js::run(&event(GOOD_EVENT), missing.bindings.clone(), lookup)
        .await
        .map(|value| json_text(&value));
    restore_runner_hook();
    assert_eq!(
        outcome,
        Err("environment variable `IDP_URL` is not set".to_owned())
    );
}

#[wasm_bindgen_test]
async fn run_encodes_unit_and_custom_results() {
    let fake = Fake::new(json!({}));
    let outcome = js::run(
        &event(GOOD_EVENT),
        fake.bindings.clone(),
        |_: ExistingPasswordProvided, _| async { kinde_workflow::Result::Ok(()) },
    )
    .await
    .map(|value| json_text(&value));
    assert_eq!(outcome, Ok("null".to_owned()));

    let outcome = js::run(
        &event(GOOD_EVENT),
        fake.bindings.clone(),
        |event: ExistingPasswordProvided, _| async move {
            if event.context.auth.has_user_record_in_kinde {
                Ok(1)
            } else {
                Err(Error::msg("no Kinde record"))
            }
        },
    )
    .await
    .map(|value| json_text(&value));
    restore_runner_hook();
    assert_eq!(outcome, Err("no Kinde record".to_owned()));
    assert!(fake.calls().is_empty());
}
