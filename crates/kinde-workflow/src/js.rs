//! The bridge to Kinde's bindings through the generated shim (wasm32 only).
//!
//! The shim passes one object whose `kinde*` methods adapt Kinde's bindings. Each
//! method is a separate import of the compiled module, so `cargo kinde check` can
//! tell from the `.wasm` which bindings a workflow really uses.

use std::cell::RefCell;
use std::future::Future;

use js_sys::Promise;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::events::Event;
use crate::executor::Awaiting;
use crate::host::{
    ApiRequest, ApiResponse, Claims, EnvVar, FetchRequest, FetchResponse, Host, LogLevel,
    MfaEnforcementPolicy,
};
use crate::{json, wire, Binding, Error, M2mTokenRequest, Result, Secret};

#[wasm_bindgen]
extern "C" {
    /// The bindings object the generated shim passes to `kindeRun`.
    pub type Bindings;

    #[wasm_bindgen(method, catch, js_name = kindeFetch)]
    fn kinde_fetch(this: &Bindings, request: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeSecureFetch)]
    fn kinde_secure_fetch(this: &Bindings, request: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeEnv)]
    fn kinde_env(this: &Bindings, name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeManagementApi)]
    fn kinde_management_api(
        this: &Bindings,
        method: &str,
        endpoint: &str,
        params: &JsValue,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeInvalidateFormField)]
    fn kinde_invalidate_form_field(
        this: &Bindings,
        field: &str,
        message: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeDenyAccess)]
    fn kinde_deny_access(this: &Bindings, reason: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeSetIdTokenClaim)]
    fn kinde_set_id_token_claim(
        this: &Bindings,
        name: &str,
        value: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeSetAccessTokenClaim)]
    fn kinde_set_access_token_claim(
        this: &Bindings,
        name: &str,
        value: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeSetM2mTokenClaim)]
    fn kinde_set_m2m_token_claim(
        this: &Bindings,
        name: &str,
        value: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeIdTokenClaims)]
    fn kinde_id_token_claims(this: &Bindings) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeAccessTokenClaims)]
    fn kinde_access_token_claims(this: &Bindings) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeM2mTokenClaims)]
    fn kinde_m2m_token_claims(this: &Bindings) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeSetMfaEnforcementPolicy)]
    fn kinde_set_mfa_enforcement_policy(this: &Bindings, policy: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeDenyPlanSelection)]
    fn kinde_deny_plan_selection(
        this: &Bindings,
        message: &str,
        details: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeDenyPlanCancellation)]
    fn kinde_deny_plan_cancellation(this: &Bindings, message: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeLocalization)]
    fn kinde_localization(this: &Bindings, key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = kindeM2mToken)]
    fn kinde_m2m_token(this: &Bindings, request: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, js_name = kindeLog)]
    fn kinde_log(this: &Bindings, level: &str, message: &str);

    #[wasm_bindgen(method, js_name = kindePanic)]
    fn kinde_panic(this: &Bindings, message: &str);
}

thread_local! {
    /// The bindings of the run in progress, for the panic hook.
    static CURRENT: RefCell<Option<Bindings>> = const { RefCell::new(None) };
}

/// [`Host`] over Kinde's bindings.
pub struct JsHost {
    bindings: Bindings,
}

impl JsHost {
    /// Starts a run: remembers the bindings for the panic hook (installed once).
    pub fn enter(bindings: Bindings) -> Self {
        CURRENT.with(|current| *current.borrow_mut() = Some(bindings.clone().unchecked_into()));
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            std::panic::set_hook(Box::new(|info| {
                let message = panic_message(info);
                CURRENT.with(|current| {
                    if let Ok(current) = current.try_borrow() {
                        if let Some(bindings) = current.as_ref() {
                            bindings.kinde_panic(&message);
                        }
                    }
                });
            }));
        });
        Self { bindings }
    }
}

/// `workflow panicked: <message> (at <file>:<line>:<column>)`, on one line so the
/// rejection's first line carries the cause.
fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a non-string payload");
    match info.location() {
        Some(at) => format!("workflow panicked: {payload} (at {at})"),
        None => format!("workflow panicked: {payload}"),
    }
}

impl Clone for Bindings {
    fn clone(&self) -> Self {
        JsValue::clone(self).unchecked_into()
    }
}

fn binding_error(binding: Binding, message: impl Into<String>) -> Error {
    Error::Binding {
        binding,
        message: message.into(),
    }
}

impl JsHost {
    /// Waits for a binding's answer, which may be a value or a Promise of one.
    async fn settle(
        &self,
        answer: std::result::Result<JsValue, JsValue>,
        binding: Binding,
    ) -> Result<JsValue> {
        let value = answer.map_err(|e| binding_error(binding, describe(&e)))?;
        match value.dyn_into::<Promise>() {
            Ok(promise) => Awaiting::new(&self.bindings, promise)
                .await
                .map_err(|e| binding_error(binding, describe(&e))),
            Err(value) => Ok(value),
        }
    }

    /// Waits for a binding's answer and reads it as the JSON string the shim returns.
    async fn settle_string(
        &self,
        answer: std::result::Result<JsValue, JsValue>,
        binding: Binding,
    ) -> Result<String> {
        self.settle(answer, binding)
            .await?
            .as_string()
            .ok_or_else(|| binding_error(binding, "adapter did not return a string"))
    }

    /// Waits for a `kinde*TokenClaims` answer and decodes it.
    async fn claims(
        &self,
        answer: std::result::Result<JsValue, JsValue>,
        binding: Binding,
    ) -> Result<Claims> {
        let text = self.settle_string(answer, binding).await?;
        wire::decode_claims(&text).map_err(|e| binding_error(binding, e))
    }
}

/// The message of a thrown JS value.
fn describe(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "non-error value thrown".to_owned())
}

impl Host for JsHost {
    async fn fetch(&self, request: FetchRequest) -> Result<FetchResponse> {
        let answer = self.bindings.kinde_fetch(&wire::encode_fetch(&request));
        let answer = self.settle(answer, Binding::Fetch).await?;
        wire::decode_fetch(&answer).map_err(|e| binding_error(Binding::Fetch, e))
    }

    async fn secure_fetch(&self, request: FetchRequest) -> Result<FetchResponse> {
        let answer = self
            .bindings
            .kinde_secure_fetch(&wire::encode_fetch(&request));
        let answer = self.settle(answer, Binding::SecureFetch).await?;
        wire::decode_fetch(&answer).map_err(|e| binding_error(Binding::SecureFetch, e))
    }

    async fn env(&self, name: &str) -> Result<Option<EnvVar>> {
        let text = self
            .settle_string(self.bindings.kinde_env(name), Binding::Env)
            .await?;
        wire::decode_env(&text).map_err(|e| binding_error(Binding::Env, e))
    }

    async fn management_api(&self, request: ApiRequest) -> Result<ApiResponse> {
        let answer = self.bindings.kinde_management_api(
            wire::api_method(request.method),
            &request.endpoint,
            &request.params_value(),
        );
        let value = self.settle(answer, Binding::Fetch).await?;
        Ok(ApiResponse::held(json::HostValue::new(
            JsValue::UNDEFINED,
            value,
        )))
    }

    async fn invalidate_form_field(&self, field: &str, message: &str) -> Result<()> {
        let answer = self.bindings.kinde_invalidate_form_field(field, message);
        self.settle(answer, Binding::Widget).await.map(drop)
    }

    async fn deny_access(&self, reason: &str) -> Result<()> {
        self.settle(self.bindings.kinde_deny_access(reason), Binding::Auth)
            .await
            .map(drop)
    }

    fn log(&self, level: LogLevel, message: &str) {
        self.bindings.kinde_log(level.as_str(), message);
    }

    async fn set_id_token_claim<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<()> {
        let answer = self
            .bindings
            .kinde_set_id_token_claim(name, &json::to_string(value)?);
        self.settle(answer, Binding::IdToken).await.map(drop)
    }

    async fn set_access_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
        let answer = self
            .bindings
            .kinde_set_access_token_claim(name, &json::to_string(value)?);
        self.settle(answer, Binding::AccessToken).await.map(drop)
    }

    async fn set_m2m_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
        let answer = self
            .bindings
            .kinde_set_m2m_token_claim(name, &json::to_string(value)?);
        self.settle(answer, Binding::M2mToken).await.map(drop)
    }

    async fn id_token_claims(&self) -> Result<Claims> {
        self.claims(self.bindings.kinde_id_token_claims(), Binding::IdToken)
            .await
    }

    async fn access_token_claims(&self) -> Result<Claims> {
        self.claims(
            self.bindings.kinde_access_token_claims(),
            Binding::AccessToken,
        )
        .await
    }

    async fn m2m_token_claims(&self) -> Result<Claims> {
        self.claims(self.bindings.kinde_m2m_token_claims(), Binding::M2mToken)
            .await
    }

    async fn set_mfa_enforcement_policy(&self, policy: MfaEnforcementPolicy) -> Result<()> {
        let answer = self
            .bindings
            .kinde_set_mfa_enforcement_policy(policy.as_str());
        self.settle(answer, Binding::Mfa).await.map(drop)
    }

    async fn deny_plan_selection(&self, message: &str, details: Option<Value>) -> Result<()> {
        let details = json::to_string(&details)?;
        let answer = self.bindings.kinde_deny_plan_selection(message, &details);
        self.settle(answer, Binding::Plan).await.map(drop)
    }

    async fn deny_plan_cancellation(&self, message: &str) -> Result<()> {
        let answer = self.bindings.kinde_deny_plan_cancellation(message);
        self.settle(answer, Binding::Plan).await.map(drop)
    }

    async fn localization(&self, key: &str) -> Result<Option<String>> {
        let text = self
            .settle_string(self.bindings.kinde_localization(key), Binding::Localization)
            .await?;
        wire::decode_localization(&text).map_err(|e| binding_error(Binding::Localization, e))
    }

    async fn m2m_token(&self, request: M2mTokenRequest) -> Result<Secret> {
        let answer = self
            .bindings
            .kinde_m2m_token(&wire::encode_m2m_token(&request));
        let token = self.settle_string(answer, Binding::Cache).await?;
        if token.is_empty() {
            return Err(binding_error(Binding::Cache, "no M2M token was returned"));
        }
        Ok(Secret::new(token))
    }
}

/// Runs a workflow function: reads the event (the object Kinde passed, read field by
/// field with [`json::from_js`]), runs it, and hands the outcome to the shim (`Ok` holds
/// the value `Workflow` resolves with, built in the host by [`json::to_js`], `Err` the
/// rejection message).
///
/// [`start_run`] runs it in the crate's executor; tests can await it under any other.
#[doc(hidden)]
pub async fn run<E, F, Fut, T>(
    event: &JsValue,
    bindings: Bindings,
    workflow: F,
) -> std::result::Result<JsValue, String>
where
    E: Event,
    F: FnOnce(E, JsHost) -> Fut,
    Fut: Future<Output = Result<T>>,
    T: Serialize,
{
    let host = JsHost::enter(bindings);
    let event = json::from_js::<E>(event).map_err(|err| Error::invalid_event(err).to_string())?;
    let value = workflow(event, host)
        .await
        .map_err(|e: Error| e.to_string())?;
    json::to_js(&value).map_err(|err| format!("the workflow's result {}", err.message()))
}

/// `kindeRun`: starts [`run`] in the executor the shim drives (see [`crate::executor`]):
/// `Ok(result)` when it ended in its first poll, `Ok(undefined)` while it waits on a
/// Promise, `Err(message)` when it failed.
///
/// Called by the code `#[workflow]` generates; not meant to be called directly.
#[doc(hidden)]
pub fn start_run<E, F, Fut, T>(
    event: JsValue,
    bindings: Bindings,
    workflow: F,
) -> std::result::Result<JsValue, JsValue>
where
    E: Event + 'static,
    F: FnOnce(E, JsHost) -> Fut + 'static,
    Fut: Future<Output = Result<T>> + 'static,
    T: Serialize + 'static,
{
    crate::executor::start(bindings.clone(), async move {
        run(&event, bindings, workflow).await
    })
}
