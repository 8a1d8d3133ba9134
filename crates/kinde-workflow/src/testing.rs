//! An in-memory [`Host`] for native unit tests of workflow logic.
//!
//! ```
//! use kinde_workflow::testing::{block_on, MemoryHost};
//! use kinde_workflow::{FetchRequest, FetchResponse, Host};
//! use serde_json::json;
//!
//! let host = MemoryHost::new()
//!     .with_env("API_URL", "https://legacy.example/check")
//!     .on_fetch(|request| Ok(FetchResponse::from_json(200, json!({"seen": request.url}))));
//! let url = block_on(host.required_env("API_URL")).unwrap();
//! let answer = block_on(host.fetch(FetchRequest::post(url.value()))).unwrap();
//! let seen: serde_json::Value = answer.json().unwrap();
//! assert_eq!(seen["seen"], "https://legacy.example/check");
//! assert_eq!(host.requests().len(), 1);
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde::Serialize;
use serde_json::Value;

use crate::host::{
    ApiRequest, ApiResponse, Claims, EnvVar, FetchRequest, FetchResponse, Host, LogLevel,
    MfaEnforcementPolicy,
};
use crate::{Binding, Error, M2mTokenRequest, Result, Secret, WorkflowSettings};

type FetchHandler = Box<dyn Fn(&FetchRequest) -> Result<FetchResponse>>;
type ApiHandler = Box<dyn Fn(&ApiRequest) -> Result<Value>>;
type M2mTokenHandler = Box<dyn Fn(&M2mTokenRequest) -> Result<Secret>>;

/// A token whose custom claims a workflow may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Token {
    /// The ID token (`kinde.idToken`).
    Id,
    /// The access token (`kinde.accessToken`).
    Access,
    /// The M2M token (`kinde.m2mToken`).
    M2m,
}

impl Token {
    /// The binding that exposes the token.
    pub const fn binding(self) -> Binding {
        match self {
            Token::Id => Binding::IdToken,
            Token::Access => Binding::AccessToken,
            Token::M2m => Binding::M2mToken,
        }
    }
}

/// A refusal through `kinde.plan`.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanDenial {
    /// `denySelection(message, details)`
    Selection {
        /// Shown to the customer.
        message: String,
        /// Passed on as given.
        details: Option<Value>,
    },
    /// `denyCancellation(message)`
    Cancellation {
        /// Shown to the customer.
        message: String,
    },
}

/// A host that answers from closures and records every call.
///
/// With [`MemoryHost::with_settings`] it refuses bindings the settings do not declare,
/// as Kinde does.
#[derive(Default)]
pub struct MemoryHost {
    settings: Option<WorkflowSettings>,
    env: BTreeMap<String, EnvVar>,
    fetch: Option<FetchHandler>,
    secure_fetch: Option<FetchHandler>,
    api: Option<ApiHandler>,
    m2m_token: Option<M2mTokenHandler>,
    localization: BTreeMap<String, String>,
    record: RefCell<Record>,
}

/// One thing a workflow did through the host.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// `kinde.fetch`
    Fetch(FetchRequest),
    /// `kinde.secureFetch`
    SecureFetch(FetchRequest),
    /// A Management API call.
    ManagementApi(ApiRequest),
    /// `invalidateFormField(field, message)`
    InvalidateFormField {
        /// Field id, e.g. `p_password`.
        field: String,
        /// Message shown to the user.
        message: String,
    },
    /// `denyAccess(reason)`
    DenyAccess(String),
}

#[derive(Default)]
struct Record {
    calls: Vec<Call>,
    logs: Vec<(LogLevel, String)>,
    claims: BTreeMap<Token, Claims>,
    mfa_policy: Option<MfaEnforcementPolicy>,
    plan_denials: Vec<PlanDenial>,
    m2m_token_requests: Vec<M2mTokenRequest>,
}

impl MemoryHost {
    /// A host with no variables whose fetches fail.
    pub fn new() -> Self {
        Self::default()
    }

    /// Enforces the bindings declared in `settings`.
    pub fn with_settings(mut self, settings: WorkflowSettings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// Sets a plain environment variable.
    pub fn with_env(mut self, name: &str, value: &str) -> Self {
        self.env.insert(name.to_owned(), EnvVar::new(value, false));
        self
    }

    /// Sets a sensitive environment variable.
    pub fn with_secret_env(mut self, name: &str, value: &str) -> Self {
        self.env.insert(name.to_owned(), EnvVar::new(value, true));
        self
    }

    /// Answers `kinde.fetch` with `handler`.
    pub fn on_fetch(
        mut self,
        handler: impl Fn(&FetchRequest) -> Result<FetchResponse> + 'static,
    ) -> Self {
        self.fetch = Some(Box::new(handler));
        self
    }

    /// Answers `kinde.secureFetch` with `handler` (it sees the plaintext request).
    pub fn on_secure_fetch(
        mut self,
        handler: impl Fn(&FetchRequest) -> Result<FetchResponse> + 'static,
    ) -> Self {
        self.secure_fetch = Some(Box::new(handler));
        self
    }

    /// Answers Management API calls with `handler`; its value is written as the answer's
    /// JSON text (`Value::Null` for an empty answer).
    pub fn on_management_api(
        mut self,
        handler: impl Fn(&ApiRequest) -> Result<Value> + 'static,
    ) -> Self {
        self.api = Some(Box::new(handler));
        self
    }

    /// Answers [`Host::m2m_token`] with `handler`.
    pub fn on_m2m_token(
        mut self,
        handler: impl Fn(&M2mTokenRequest) -> Result<Secret> + 'static,
    ) -> Self {
        self.m2m_token = Some(Box::new(handler));
        self
    }

    /// Starts `token` with a custom claim, as a claim set by an earlier workflow would.
    pub fn with_claim(self, token: Token, name: &str, value: Value) -> Self {
        self.record
            .borrow_mut()
            .claims
            .entry(token)
            .or_default()
            .insert(name.to_owned(), value);
        self
    }

    /// Sets a localised string `kinde.localization.get(key)` answers.
    pub fn with_localization(mut self, key: &str, value: &str) -> Self {
        self.localization.insert(key.to_owned(), value.to_owned());
        self
    }

    /// The custom claims of `token` now.
    pub fn claims(&self, token: Token) -> Claims {
        self.record
            .borrow()
            .claims
            .get(&token)
            .cloned()
            .unwrap_or_default()
    }

    /// The MFA enforcement policy the workflow set last, if any.
    pub fn mfa_enforcement_policy(&self) -> Option<MfaEnforcementPolicy> {
        self.record.borrow().mfa_policy
    }

    /// The plan refusals made, in order.
    pub fn plan_denials(&self) -> Vec<PlanDenial> {
        self.record.borrow().plan_denials.clone()
    }

    /// The M2M token requests made, in order.
    pub fn m2m_token_requests(&self) -> Vec<M2mTokenRequest> {
        self.record.borrow().m2m_token_requests.clone()
    }

    /// Every call made, in order (logs excluded).
    pub fn calls(&self) -> Vec<Call> {
        self.record.borrow().calls.clone()
    }

    /// The `kinde.fetch` requests made, in order.
    pub fn requests(&self) -> Vec<FetchRequest> {
        self.calls()
            .into_iter()
            .filter_map(|call| match call {
                Call::Fetch(request) => Some(request),
                _ => None,
            })
            .collect()
    }

    /// Log lines, in order.
    pub fn logs(&self) -> Vec<(LogLevel, String)> {
        self.record.borrow().logs.clone()
    }

    fn check(&self, binding: Binding) -> Result<()> {
        match &self.settings {
            Some(settings) if !settings.declares(binding) => Err(Error::undeclared(binding)),
            _ => Ok(()),
        }
    }

    fn push(&self, call: Call) {
        self.record.borrow_mut().calls.push(call);
    }

    fn answer(
        handler: &Option<FetchHandler>,
        binding: Binding,
        request: &FetchRequest,
    ) -> Result<FetchResponse> {
        match handler {
            Some(handler) => handler(request),
            None => Err(Error::Binding {
                binding,
                message: format!("MemoryHost has no handler for {}", request.url),
            }),
        }
    }
}

impl Host for MemoryHost {
    async fn fetch(&self, request: FetchRequest) -> Result<FetchResponse> {
        self.check(Binding::Fetch)?;
        self.push(Call::Fetch(request.clone()));
        Self::answer(&self.fetch, Binding::Fetch, &request)
    }

    async fn secure_fetch(&self, request: FetchRequest) -> Result<FetchResponse> {
        self.check(Binding::SecureFetch)?;
        self.push(Call::SecureFetch(request.clone()));
        Self::answer(&self.secure_fetch, Binding::SecureFetch, &request)
    }

    async fn env(&self, name: &str) -> Result<Option<EnvVar>> {
        self.check(Binding::Env)?;
        Ok(self.env.get(name).cloned())
    }

    async fn management_api(&self, request: ApiRequest) -> Result<ApiResponse> {
        for binding in [Binding::Fetch, Binding::Env, Binding::Cache, Binding::Url] {
            self.check(binding)?;
        }
        self.push(Call::ManagementApi(request.clone()));
        match &self.api {
            Some(handler) => handler(&request).map(ApiResponse::from_json),
            None => Err(Error::Binding {
                binding: Binding::Fetch,
                message: "MemoryHost has no Management API handler".to_owned(),
            }),
        }
    }

    async fn invalidate_form_field(&self, field: &str, message: &str) -> Result<()> {
        self.check(Binding::Widget)?;
        self.push(Call::InvalidateFormField {
            field: field.to_owned(),
            message: message.to_owned(),
        });
        Ok(())
    }

    async fn deny_access(&self, reason: &str) -> Result<()> {
        self.check(Binding::Auth)?;
        self.push(Call::DenyAccess(reason.to_owned()));
        Ok(())
    }

    fn log(&self, level: LogLevel, message: &str) {
        self.record
            .borrow_mut()
            .logs
            .push((level, message.to_owned()));
    }

    async fn set_id_token_claim<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<()> {
        self.set_claim(Token::Id, name, claim_value(value)?)
    }

    async fn set_access_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
        self.set_claim(Token::Access, name, claim_value(value)?)
    }

    async fn set_m2m_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
        self.set_claim(Token::M2m, name, claim_value(value)?)
    }

    async fn id_token_claims(&self) -> Result<Claims> {
        self.check(Binding::IdToken)?;
        Ok(self.claims(Token::Id))
    }

    async fn access_token_claims(&self) -> Result<Claims> {
        self.check(Binding::AccessToken)?;
        Ok(self.claims(Token::Access))
    }

    async fn m2m_token_claims(&self) -> Result<Claims> {
        self.check(Binding::M2mToken)?;
        Ok(self.claims(Token::M2m))
    }

    async fn set_mfa_enforcement_policy(&self, policy: MfaEnforcementPolicy) -> Result<()> {
        self.check(Binding::Mfa)?;
        self.record.borrow_mut().mfa_policy = Some(policy);
        Ok(())
    }

    async fn deny_plan_selection(&self, message: &str, details: Option<Value>) -> Result<()> {
        self.deny_plan(PlanDenial::Selection {
            message: message.to_owned(),
            details,
        })
    }

    async fn deny_plan_cancellation(&self, message: &str) -> Result<()> {
        self.deny_plan(PlanDenial::Cancellation {
            message: message.to_owned(),
        })
    }

    async fn localization(&self, key: &str) -> Result<Option<String>> {
        self.check(Binding::Localization)?;
        Ok(self.localization.get(key).cloned())
    }

    async fn m2m_token(&self, request: M2mTokenRequest) -> Result<Secret> {
        for binding in [Binding::Fetch, Binding::Cache, Binding::Url] {
            self.check(binding)?;
        }
        self.record
            .borrow_mut()
            .m2m_token_requests
            .push(request.clone());
        match &self.m2m_token {
            Some(handler) => handler(&request),
            None => Err(Error::Binding {
                binding: Binding::Cache,
                message: "MemoryHost has no M2M token handler".to_owned(),
            }),
        }
    }
}

impl MemoryHost {
    fn set_claim(&self, token: Token, name: &str, value: Value) -> Result<()> {
        self.check(token.binding())?;
        if name.is_empty() {
            return Err(Error::Binding {
                binding: token.binding(),
                message: "a claim needs a name".to_owned(),
            });
        }
        self.record
            .borrow_mut()
            .claims
            .entry(token)
            .or_default()
            .insert(name.to_owned(), value);
        Ok(())
    }

    /// Kinde's infrastructure refuses an empty message before calling the binding.
    fn deny_plan(&self, denial: PlanDenial) -> Result<()> {
        self.check(Binding::Plan)?;
        let (PlanDenial::Selection { message, .. } | PlanDenial::Cancellation { message }) =
            &denial;
        if message.is_empty() {
            return Err(Error::Binding {
                binding: Binding::Plan,
                message: "a denial needs a message".to_owned(),
            });
        }
        self.record.borrow_mut().plan_denials.push(denial);
        Ok(())
    }
}

/// Runs a future to completion on the current thread.
///
/// Enough for workflows over [`MemoryHost`], whose calls complete at once.
///
/// # Panics
/// If the future waits on something that never wakes it.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("block_on: the future is still pending after 10000 polls; MemoryHost futures complete at once, so something else is awaited")
}

/// A claim's value as the host keeps it: written as JSON, as `JsHost` sends it.
fn claim_value<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    let text = crate::json::to_string(value)?;
    Ok(serde_json::from_str(&text).expect("serde_json reads what it wrote"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FailurePolicy, Trigger};
    use serde_json::json;

    const SETTINGS: WorkflowSettings = WorkflowSettings {
        id: "t",
        name: "T",
        trigger: Trigger::ExistingPasswordProvided,
        failure_policy: FailurePolicy::Stop,
        bindings: &[Binding::Env],
    };

    #[test]
    fn undeclared_bindings_are_refused_with_a_fix() {
        let host = MemoryHost::new().with_settings(SETTINGS).with_env("A", "1");
        assert_eq!(block_on(host.env("A")).unwrap().unwrap().value(), "1");
        let err = block_on(host.fetch(FetchRequest::get("https://x"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "binding `kinde.fetch` is not declared; add `Fetch` to `bindings(...)` in #[workflow]"
        );
        assert!(host.calls().is_empty());
    }

    #[test]
    fn required_env_names_the_missing_variable() {
        let host = MemoryHost::new().with_env("EMPTY", "");
        let err = block_on(host.required_env("EMPTY")).unwrap_err();
        assert_eq!(err.to_string(), "environment variable `EMPTY` is not set");
    }

    #[test]
    fn records_calls_and_logs_in_order() {
        let host = MemoryHost::new();
        block_on(host.invalidate_form_field("p_password", "nope")).unwrap();
        host.warn("careful");
        block_on(host.deny_access("blocked")).unwrap();
        assert_eq!(host.calls().len(), 2);
        assert_eq!(host.calls()[1], Call::DenyAccess("blocked".into()));
        assert_eq!(host.logs(), vec![(LogLevel::Warn, "careful".to_owned())]);
    }

    const TOKENS: WorkflowSettings = WorkflowSettings {
        id: "t",
        name: "T",
        trigger: Trigger::TokensGeneration,
        failure_policy: FailurePolicy::Stop,
        bindings: &[Binding::AccessToken],
    };

    #[test]
    fn claims_are_kept_per_token_and_overwritten_by_name() {
        let host = MemoryHost::new().with_settings(TOKENS).with_claim(
            Token::Access,
            "plan",
            json!("free"),
        );
        block_on(host.set_access_token_claim("plan", "pro")).unwrap();
        block_on(host.set_access_token_claim("seats", &5)).unwrap();
        let claims = block_on(host.access_token_claims()).unwrap();
        assert_eq!(Value::Object(claims), json!({"plan": "pro", "seats": 5}));
        let err = block_on(host.set_id_token_claim("plan", "pro")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "binding `kinde.idToken` is not declared; add `IdToken` to `bindings(...)` in #[workflow]"
        );
        assert!(host.claims(Token::Id).is_empty());
        assert!(block_on(host.set_access_token_claim("", &1)).is_err());
        let unwritable = BTreeMap::from([((1, 2), "x")]);
        let err = block_on(host.set_access_token_claim("map", &unwritable)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unexpected JSON at `.`: cannot be written as JSON"),
            "{err}"
        );
    }

    #[test]
    fn mfa_plan_and_localization_are_recorded() {
        let host = MemoryHost::new().with_localization("greeting", "Bonjour");
        block_on(host.set_mfa_enforcement_policy(MfaEnforcementPolicy::Skip)).unwrap();
        block_on(host.deny_plan_selection("over quota", Some(json!(["pro"])))).unwrap();
        block_on(host.deny_plan_cancellation("unpaid invoices")).unwrap();
        assert_eq!(
            host.mfa_enforcement_policy(),
            Some(MfaEnforcementPolicy::Skip)
        );
        assert_eq!(
            host.plan_denials(),
            vec![
                PlanDenial::Selection {
                    message: "over quota".into(),
                    details: Some(json!(["pro"]))
                },
                PlanDenial::Cancellation {
                    message: "unpaid invoices".into()
                },
            ]
        );
        assert!(block_on(host.deny_plan_cancellation("")).is_err());
        assert_eq!(
            block_on(host.localization("greeting")).unwrap().as_deref(),
            Some("Bonjour")
        );
        assert_eq!(block_on(host.localization("missing")).unwrap(), None);
    }

    #[test]
    fn management_api_and_m2m_tokens_need_the_cache_and_url_bindings() {
        const FETCH_ENV: WorkflowSettings = WorkflowSettings {
            bindings: &[Binding::Fetch, Binding::Env],
            ..SETTINGS
        };
        let host = MemoryHost::new()
            .with_settings(FETCH_ENV)
            .on_m2m_token(|_| Ok(Secret::new("tok")));
        let err = block_on(host.management_api(ApiRequest::get("users"))).unwrap_err();
        assert!(err.to_string().contains("`kinde.cache`"), "{err}");
        let request = M2mTokenRequest::new("https://k", "cid", Secret::new("s"));
        assert!(block_on(host.m2m_token(request.clone())).is_err());

        let host =
            MemoryHost::new().on_m2m_token(|r| Ok(Secret::new(format!("tok-{}", r.client_id))));
        let token = block_on(host.m2m_token(request.clone())).unwrap();
        assert_eq!(token.expose(), "tok-cid");
        assert_eq!(host.m2m_token_requests(), vec![request]);
    }
}
