//! What each provider is sent: URL, headers, body, signature.
//!
//! Needs every provider feature (the default).
#![cfg(all(
    feature = "generic",
    feature = "auth0",
    feature = "cognito",
    feature = "azure-b2c"
))]

mod support;

use aws_sigv4_signer::{sign, AmzDate, Credentials, Options, Request};
use drip_feed::{migrate_with_clock, Outcome};
use kinde_workflow::testing::{block_on, Call, MemoryHost};
use kinde_workflow::{Body, FetchRequest, FetchResponse};
use serde_json::{json, Value};
use support::*;

/// Runs with a provider that rejects, and returns the one request it got.
fn sent(env: &[(&str, &str)], secure: bool) -> FetchRequest {
    let reject = |_: &FetchRequest| {
        Ok(FetchResponse::from_json(
            400,
            json!({"error": "invalid_grant", "__type": "NotAuthorizedException", "result": "rejected", "error_description": "AADB2C90225: no"}),
        ))
    };
    let host = host(env);
    let host: MemoryHost = if secure {
        host.on_secure_fetch(reject)
    } else {
        host.on_fetch(reject)
    };
    let result = block_on(migrate_with_clock(&event(false), &host, || 1_440_938_160));
    assert_eq!(result.unwrap(), Outcome::Rejected);
    let mut requests: Vec<FetchRequest> = host
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            Call::Fetch(r) | Call::SecureFetch(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a FetchRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn json_body(request: &FetchRequest) -> Value {
    match &request.body {
        Body::Json(text) | Body::Text(text) => serde_json::from_str(text).unwrap(),
        other => panic!("expected JSON, got {other:?}"),
    }
}

#[test]
fn auth0_password_and_password_realm_grants() {
    let mut env = vec![
        ("LEGACY_PROVIDER", "auth0"),
        ("AUTH0_DOMAIN", "acme.eu.auth0.com"),
        ("AUTH0_CLIENT_ID", "cid"),
        ("AUTH0_CLIENT_SECRET", AUTH0_SECRET),
    ];
    let request = sent(&env, false);
    assert_eq!(request.url, "https://acme.eu.auth0.com/oauth/token");
    assert_eq!(header(&request, "auth0-forwarded-for"), Some(IP));
    assert_eq!(
        json_body(&request),
        json!({"grant_type": "password", "username": EMAIL, "password": PASSWORD,
               "client_id": "cid", "client_secret": AUTH0_SECRET, "scope": "openid profile"})
    );
    env.push(("AUTH0_REALM", "Username-Password-Authentication"));
    env.push(("AUTH0_AUDIENCE", "https://api.acme.example"));
    let body = json_body(&sent(&env, false));
    assert_eq!(
        body["grant_type"],
        "http://auth0.com/oauth/grant-type/password-realm"
    );
    assert_eq!(body["realm"], "Username-Password-Authentication");
    assert_eq!(body["audience"], "https://api.acme.example");
}

#[test]
fn cognito_admin_initiate_auth_is_sigv4_signed_with_the_session_token() {
    let env = [
        ("LEGACY_PROVIDER", "cognito"),
        ("AWS_REGION", "eu-west-1"),
        ("COGNITO_CLIENT_ID", "app-client-1"),
        ("COGNITO_CLIENT_SECRET", COGNITO_SECRET),
        ("COGNITO_USER_POOL_ID", "eu-west-1_AbCdEf"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_SESSION_TOKEN", AWS_TOKEN),
    ];
    let request = sent(&env, false);
    assert_eq!(request.url, "https://cognito-idp.eu-west-1.amazonaws.com/");
    assert_eq!(
        header(&request, "X-Amz-Target"),
        Some("AWSCognitoIdentityProviderService.AdminInitiateAuth")
    );
    assert_eq!(
        header(&request, "Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(header(&request, "X-Amz-Date"), Some("20150830T123600Z"));
    assert_eq!(header(&request, "X-Amz-Security-Token"), Some(AWS_TOKEN));
    let Body::Text(body) = &request.body else {
        panic!("the signed body must be sent as text")
    };
    let parsed: Value = serde_json::from_str(body).unwrap();
    assert_eq!(parsed["AuthFlow"], "ADMIN_USER_PASSWORD_AUTH");
    assert_eq!(parsed["UserPoolId"], "eu-west-1_AbCdEf");
    assert_eq!(parsed["ClientId"], "app-client-1");
    assert_eq!(parsed["AuthParameters"]["USERNAME"], EMAIL);
    assert_eq!(parsed["AuthParameters"]["PASSWORD"], PASSWORD);
    // Base64(HMAC-SHA256(secret, email + client id)), computed with Python's hmac.
    assert_eq!(
        parsed["AuthParameters"]["SECRET_HASH"],
        "RCupFOop17PxQK/JoqwZGHy7lZmzXeF1Gc7GmzE6jHs="
    );

    // The Authorization header is what an independent signing of the sent bytes gives.
    let expected = sign(
        &Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("host", "cognito-idp.eu-west-1.amazonaws.com"),
                ("content-type", "application/x-amz-json-1.1"),
                (
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.AdminInitiateAuth",
                ),
            ],
            body: body.as_bytes(),
        },
        &Credentials::new("AKIDEXAMPLE", AWS_SECRET, Some(AWS_TOKEN.into())),
        "eu-west-1",
        "cognito-idp",
        AmzDate::from_unix_seconds(1_440_938_160),
        Options::default(),
    );
    let authorization = header(&request, "Authorization").unwrap();
    assert_eq!(authorization, expected.headers.last().unwrap().1);
    assert!(authorization.starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="
    ));
}

#[test]
fn cognito_initiate_auth_without_iam_credentials_is_unsigned() {
    let env = [
        ("LEGACY_PROVIDER", "cognito"),
        ("AWS_REGION", "us-east-1"),
        ("COGNITO_CLIENT_ID", "public-client"),
    ];
    let request = sent(&env, false);
    assert_eq!(
        header(&request, "X-Amz-Target"),
        Some("AWSCognitoIdentityProviderService.InitiateAuth")
    );
    assert_eq!(header(&request, "Authorization"), None);
    let body = json_body(&request);
    assert_eq!(
        body,
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "public-client",
               "AuthParameters": {"USERNAME": EMAIL, "PASSWORD": PASSWORD}})
    );
}

#[test]
fn azure_b2c_ropc_form() {
    let env = [
        ("LEGACY_PROVIDER", "azure_b2c"),
        ("AZURE_B2C_TENANT", "contoso"),
        ("AZURE_B2C_ROPC_POLICY", "B2C_1_ropc"),
        ("AZURE_B2C_CLIENT_ID", "b2c-app"),
    ];
    let request = sent(&env, false);
    assert_eq!(
        request.url,
        "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_ropc/oauth2/v2.0/token"
    );
    let Body::Form(fields) = &request.body else {
        panic!("expected a form")
    };
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("grant_type", "password"),
            ("client_id", "b2c-app"),
            ("scope", "openid b2c-app"),
            ("response_type", "token id_token"),
            ("username", EMAIL),
            ("password", PASSWORD),
        ]
    );
}

#[test]
fn generic_posts_email_and_password_plain_or_through_secure_fetch() {
    let mut env = vec![
        ("LEGACY_PROVIDER", "generic"),
        ("LEGACY_VALIDATION_URL", "http://127.0.0.1:8080/check"),
    ];
    let plain = sent(&env, false);
    assert_eq!(plain.url, "http://127.0.0.1:8080/check");
    assert_eq!(
        json_body(&plain),
        json!({"email": EMAIL, "password": PASSWORD})
    );
    env.push(("LEGACY_USE_SECURE_FETCH", "true"));
    let secure = sent(&env, true);
    assert_eq!(
        json_body(&secure),
        json!({"email": EMAIL, "password": PASSWORD})
    );
}
