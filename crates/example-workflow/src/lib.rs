//! The smallest useful workflow: on `user:existing_password_provided`, read an endpoint
//! from the environment, POST the sign-in's e-mail to it with `kinde.fetch`, log what it
//! answered and resolve with its message.
//!
//! It exists to prove the whole chain (Rust → WASM → JavaScript → Kinde's runtime); the
//! drip-feed migration workflow is the real one.

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::json::LenientString;
use kinde_workflow::{workflow, Error, FetchRequest, Host, Result};
use serde::{Deserialize, Serialize};

/// Names the endpoint the workflow calls.
pub const ENDPOINT_VAR: &str = "EXAMPLE_ENDPOINT_URL";
/// When set to `1`, the workflow panics (used to test that panics reject cleanly).
pub const PANIC_VAR: &str = "EXAMPLE_PANIC";

/// What the workflow resolves with.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The endpoint's `message`.
    pub message: String,
    /// Copied from the event.
    pub has_user_record_in_kinde: bool,
}

/// What the workflow posts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Check<'a> {
    email: &'a str,
    user_agent: Option<&'a str>,
}

/// What the endpoint answers.
#[derive(Deserialize)]
struct Greeting {
    #[serde(default)]
    message: LenientString,
}

/// Posts the e-mail to the endpoint and returns its message.
#[workflow(
    id = "rustExample",
    name = "Rust example",
    failure_policy = Continue,
    bindings(Fetch, Env, Console)
)]
pub async fn example(event: ExistingPasswordProvided, kinde: &impl Host) -> Result<Outcome> {
    let auth = &event.context.auth;
    if kinde
        .env(PANIC_VAR)
        .await?
        .is_some_and(|v| v.value() == "1")
    {
        panic!("deliberate panic for {}", auth.provided_email);
    }
    let endpoint = kinde.required_env(ENDPOINT_VAR).await?;
    kinde.info(&format!("rust example: checking {}", auth.provided_email));

    let request = FetchRequest::post(endpoint.value()).json(&Check {
        email: &auth.provided_email,
        user_agent: event.request.user_agent.as_deref(),
    })?;
    let response = kinde.fetch(request).await?;
    let message = response
        .json::<Greeting>()
        .ok()
        .and_then(|greeting| greeting.message.0)
        .ok_or_else(|| Error::msg("endpoint answered without a string `message`"))?;
    kinde.info(&format!(
        "rust example: endpoint answered {} bytes",
        message.len()
    ));

    Ok(Outcome {
        message,
        has_user_record_in_kinde: auth.has_user_record_in_kinde,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinde_workflow::events::Event;
    use kinde_workflow::testing::{block_on, MemoryHost};
    use kinde_workflow::{Binding, Body, FetchResponse, LogLevel, Method};
    use serde_json::json;

    fn event() -> ExistingPasswordProvided {
        ExistingPasswordProvided::from_json(
            r#"{"request":{"userAgent":"UA"},"context":{"domains":{"kindeDomain":"https://k.kinde.com"},
            "auth":{"providedEmail":"ada@example.com","password":"pw","hashedPassword":"h","hasUserRecordInKinde":false}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn posts_the_email_and_resolves_with_the_message() {
        let host = MemoryHost::new()
            .with_settings(WORKFLOW_SETTINGS)
            .with_env(ENDPOINT_VAR, "https://legacy.example/hello")
            .on_fetch(|_| Ok(FetchResponse::from_json(200, json!({"message": "hi ada"}))));
        let outcome = block_on(example(event(), &host)).unwrap();
        assert_eq!(outcome.message, "hi ada");

        let requests = host.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, Method::Post);
        assert_eq!(requests[0].url, "https://legacy.example/hello");
        assert_eq!(
            requests[0].body,
            Body::Json(r#"{"email":"ada@example.com","userAgent":"UA"}"#.to_owned())
        );
        assert_eq!(
            host.logs(),
            vec![
                (
                    LogLevel::Info,
                    "rust example: checking ada@example.com".to_owned()
                ),
                (
                    LogLevel::Info,
                    "rust example: endpoint answered 6 bytes".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn missing_endpoint_is_named() {
        let host = MemoryHost::new().with_settings(WORKFLOW_SETTINGS);
        let err = block_on(example(event(), &host)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable `EXAMPLE_ENDPOINT_URL` is not set"
        );
    }

    #[test]
    fn settings_declare_what_the_code_uses() {
        assert_eq!(WORKFLOW_SETTINGS.id, "rustExample");
        assert_eq!(
            WORKFLOW_SETTINGS.bindings,
            &[Binding::Fetch, Binding::Env, Binding::Console]
        );
        assert_eq!(
            WORKFLOW_SETTINGS.to_json(),
            r#"{"id":"rustExample","name":"Rust example","trigger":"user:existing_password_provided","failurePolicy":{"action":"continue"},"bindings":{"kinde.fetch":{},"kinde.env":{},"console":{}}}"#
        );
    }
}
