//! The host interface: everything a workflow may ask of Kinde.
//!
//! In production the host is Kinde's bindings, reached through the generated shim
//! ([`JsHost`](crate::js::JsHost) on wasm32). In native tests it is
//! [`MemoryHost`](crate::testing::MemoryHost).

use std::fmt;

use serde_json::{Map, Value};

use crate::{Binding, Error, M2mTokenRequest, Result, Secret};

/// Custom claims of a token, by name.
pub type Claims = Map<String, Value>;

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// Upper-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body. `Debug` hides the content, which often holds credentials.
#[derive(Clone, PartialEq)]
pub enum Body {
    /// No body.
    None,
    /// Sent as is.
    Text(String),
    /// Sent as JSON (the host serializes it).
    Json(Value),
    /// Sent URL-encoded as `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Body::None => "None",
            Body::Text(_) => "Text([redacted])",
            Body::Json(_) => "Json([redacted])",
            Body::Form(_) => "Form([redacted])",
        })
    }
}

/// An outbound HTTP request for `kinde.fetch` or `kinde.secureFetch`.
///
/// `Debug` shows the method, URL and header names only: bodies and header values
/// routinely carry passwords and tokens.
#[derive(Clone, PartialEq)]
pub struct FetchRequest {
    /// Absolute URL.
    pub url: String,
    /// Method.
    pub method: Method,
    /// Headers in the order given.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}

impl FetchRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            method,
            headers: Vec::new(),
            body: Body::None,
        }
    }

    /// A GET request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A POST request.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::Post, url)
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self.header("Content-Type", "application/json")
    }

    /// Sets a form body and its content type.
    pub fn form<K: Into<String>, V: Into<String>>(
        mut self,
        fields: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.body = Body::Form(
            fields
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self.header("Content-Type", "application/x-www-form-urlencoded")
    }

    /// Sets a text body.
    pub fn text(mut self, body: impl Into<String>) -> Self {
        self.body = Body::Text(body.into());
        self
    }
}

impl fmt::Debug for FetchRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("FetchRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &header_names)
            .field("body", &format_args!("[redacted]"))
            .finish()
    }
}

/// What `kinde.fetch` answered.
///
/// Kinde documents only `json` and `text`; `status` and `headers` are filled in when
/// the host provides them. `Debug` hides the body, which may hold tokens.
#[derive(Clone, Default, PartialEq)]
pub struct FetchResponse {
    /// HTTP status, when the host reports it.
    pub status: Option<u16>,
    /// Response headers, when the host reports them.
    pub headers: Option<Vec<(String, String)>>,
    /// The body as text.
    pub text: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl FetchResponse {
    /// A JSON response with the given status.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status: Some(status),
            headers: None,
            text: crate::wire::json_text(&body),
            json: Some(body),
        }
    }

    /// A text response with the given status.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        let text = body.into();
        Self {
            status: Some(status),
            headers: None,
            json: serde_json::from_str(&text).ok(),
            text,
        }
    }

    /// Whether the status is known and 2xx.
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(200..=299))
    }
}

impl fmt::Debug for FetchResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchResponse")
            .field("status", &self.status)
            .field("body_len", &self.text.len())
            .finish_non_exhaustive()
    }
}

/// An environment variable as Kinde stores it.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvVar {
    value: Secret,
    is_secret: bool,
}

impl EnvVar {
    /// A variable.
    pub fn new(value: impl Into<String>, is_secret: bool) -> Self {
        Self {
            value: Secret::new(value),
            is_secret,
        }
    }

    /// The value.
    pub fn value(&self) -> &str {
        self.value.expose()
    }

    /// Whether Kinde marks it sensitive.
    pub fn is_secret(&self) -> bool {
        self.is_secret
    }

    /// The value wrapped as a [`Secret`].
    pub fn into_secret(self) -> Secret {
        self.value
    }
}

impl fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("EnvVar");
        if self.is_secret {
            s.field("value", &self.value);
        } else {
            s.field("value", &self.value.expose());
        }
        s.field("is_secret", &self.is_secret).finish()
    }
}

/// A Management API call made through `createKindeAPI`.
///
/// `Debug` shows the method and endpoint only: parameters carry password hashes.
#[derive(Clone, PartialEq)]
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Endpoint below `/api/v1/`, e.g. `users?email=ada%40example.com`.
    pub endpoint: String,
    /// JSON body for POST, PUT and PATCH.
    pub params: Option<Value>,
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("endpoint", &self.endpoint)
            .field(
                "params",
                &self.params.as_ref().map(|_| format_args!("[redacted]")),
            )
            .finish()
    }
}

impl ApiRequest {
    /// `GET /api/v1/{endpoint}`; put query parameters in the endpoint, URL-encoded.
    ///
    /// ```
    /// use kinde_workflow::{ApiRequest, Method};
    ///
    /// let call = ApiRequest::get("users?email=ada%40example.com");
    /// assert_eq!((call.method, call.params), (Method::Get, None));
    /// ```
    pub fn get(endpoint: impl Into<String>) -> Self {
        Self::new(Method::Get, endpoint, None)
    }

    /// `POST /api/v1/{endpoint}` with a JSON body.
    pub fn post(endpoint: impl Into<String>, params: Value) -> Self {
        Self::new(Method::Post, endpoint, Some(params))
    }

    /// `PUT /api/v1/{endpoint}` with a JSON body.
    pub fn put(endpoint: impl Into<String>, params: Value) -> Self {
        Self::new(Method::Put, endpoint, Some(params))
    }

    /// `PATCH /api/v1/{endpoint}` with a JSON body.
    pub fn patch(endpoint: impl Into<String>, params: Value) -> Self {
        Self::new(Method::Patch, endpoint, Some(params))
    }

    /// `DELETE /api/v1/{endpoint}`.
    pub fn delete(endpoint: impl Into<String>) -> Self {
        Self::new(Method::Delete, endpoint, None)
    }

    fn new(method: Method, endpoint: impl Into<String>, params: Option<Value>) -> Self {
        Self {
            method,
            endpoint: endpoint.into(),
            params,
        }
    }
}

/// What `kinde.mfa.setEnforcementPolicy` may set for the current sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaEnforcementPolicy {
    /// Ask for a second factor.
    Required,
    /// Do not ask for a second factor this time.
    Skip,
}

impl MfaEnforcementPolicy {
    /// The value Kinde expects.
    pub const fn as_str(self) -> &'static str {
        match self {
            MfaEnforcementPolicy::Required => "required",
            MfaEnforcementPolicy::Skip => "skip",
        }
    }
}

/// Log level, mapped to `console.log`, `console.info` and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    /// `console.debug`
    Debug,
    /// `console.log`
    Log,
    /// `console.info`
    Info,
    /// `console.warn`
    Warn,
    /// `console.error`
    Error,
}

impl LogLevel {
    /// The `console` method's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Log => "log",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

/// The error of a [`Host`] method its implementation does not provide.
fn not_provided(binding: Binding) -> Error {
    Error::Binding {
        binding,
        message: "this host does not provide it".to_owned(),
    }
}

/// Everything a workflow may ask of Kinde.
///
/// Each method uses one binding, which the workflow's settings must declare
/// (`cargo kinde build` and `cargo kinde check` verify this from the compiled code).
///
/// Methods added after the first release have default implementations that fail with
/// [`Error::Binding`], so hosts written against it keep compiling; `js::JsHost` (wasm32)
/// and [`MemoryHost`](crate::testing::MemoryHost) implement every method.
#[allow(async_fn_in_trait)] // workflows are single-threaded: futures need not be Send
pub trait Host {
    /// `kinde.fetch` (binding [`Binding::Fetch`](crate::Binding::Fetch)).
    async fn fetch(&self, request: FetchRequest) -> Result<FetchResponse>;

    /// `kinde.secureFetch` (binding [`Binding::SecureFetch`](crate::Binding::SecureFetch)): the body is encrypted
    /// with the workflow's key.
    async fn secure_fetch(&self, request: FetchRequest) -> Result<FetchResponse>;

    /// `kinde.env.get` (binding [`Binding::Env`](crate::Binding::Env)).
    async fn env(&self, name: &str) -> Result<Option<EnvVar>>;

    /// A Management API call through `createKindeAPI` (bindings [`Binding::Fetch`],
    /// [`Binding::Env`], [`Binding::Cache`] and [`Binding::Url`]: it reads the M2M
    /// credentials from `KINDE_WF_M2M_CLIENT_ID`/`KINDE_WF_M2M_CLIENT_SECRET`, caches its
    /// token and form-encodes the token request). Returns the response's JSON.
    async fn management_api(&self, request: ApiRequest) -> Result<Value>;

    /// `kinde.widget.invalidateFormField` (binding [`Binding::Widget`](crate::Binding::Widget)).
    async fn invalidate_form_field(&self, field: &str, message: &str) -> Result<()>;

    /// `kinde.auth.denyAccess` (binding [`Binding::Auth`](crate::Binding::Auth)).
    async fn deny_access(&self, reason: &str) -> Result<()>;

    /// `console.*` (binding [`Binding::Console`](crate::Binding::Console)).
    fn log(&self, level: LogLevel, message: &str);

    /// `kinde.idToken.setCustomClaim` (binding [`Binding::IdToken`]): adds or replaces a
    /// custom claim of the ID token being issued.
    async fn set_id_token_claim(&self, name: &str, value: Value) -> Result<()> {
        let _ = (name, value);
        Err(not_provided(Binding::IdToken))
    }

    /// `kinde.accessToken.setCustomClaim` (binding [`Binding::AccessToken`]).
    async fn set_access_token_claim(&self, name: &str, value: Value) -> Result<()> {
        let _ = (name, value);
        Err(not_provided(Binding::AccessToken))
    }

    /// `kinde.m2mToken.setCustomClaim` (binding [`Binding::M2mToken`]).
    async fn set_m2m_token_claim(&self, name: &str, value: Value) -> Result<()> {
        let _ = (name, value);
        Err(not_provided(Binding::M2mToken))
    }

    /// `kinde.idToken.getCustomClaims` (binding [`Binding::IdToken`]): the ID token's
    /// custom claims so far.
    async fn id_token_claims(&self) -> Result<Claims> {
        Err(not_provided(Binding::IdToken))
    }

    /// `kinde.accessToken.getCustomClaims` (binding [`Binding::AccessToken`]).
    async fn access_token_claims(&self) -> Result<Claims> {
        Err(not_provided(Binding::AccessToken))
    }

    /// `kinde.m2mToken.getCustomClaims` (binding [`Binding::M2mToken`]).
    async fn m2m_token_claims(&self) -> Result<Claims> {
        Err(not_provided(Binding::M2mToken))
    }

    /// `kinde.mfa.setEnforcementPolicy` (binding [`Binding::Mfa`]): require or skip MFA
    /// for the current sign-in.
    async fn set_mfa_enforcement_policy(&self, policy: MfaEnforcementPolicy) -> Result<()> {
        let _ = policy;
        Err(not_provided(Binding::Mfa))
    }

    /// `kinde.plan.denySelection` (binding [`Binding::Plan`]): refuse the plan change with
    /// a message; `details` is passed on as is (Kinde's documentation describes a list
    /// of suggestion strings).
    async fn deny_plan_selection(&self, message: &str, details: Option<Value>) -> Result<()> {
        let _ = (message, details);
        Err(not_provided(Binding::Plan))
    }

    /// `kinde.plan.denyCancellation` (binding [`Binding::Plan`]): refuse the cancellation.
    async fn deny_plan_cancellation(&self, message: &str) -> Result<()> {
        let _ = message;
        Err(not_provided(Binding::Plan))
    }

    /// `kinde.localization.get` (binding [`Binding::Localization`]): the localised string
    /// for `key`, `None` when there is none.
    async fn localization(&self, key: &str) -> Result<Option<String>> {
        let _ = key;
        Err(not_provided(Binding::Localization))
    }

    /// An M2M access token by client credentials, cached by Kinde under
    /// `request.cache_key` through `kinde.cache.jwtToken` until it expires
    /// (`getM2MToken`; bindings [`Binding::Fetch`], [`Binding::Cache`] and [`Binding::Url`]).
    async fn m2m_token(&self, request: M2mTokenRequest) -> Result<Secret> {
        let _ = request;
        Err(not_provided(Binding::Cache))
    }

    /// A variable that must be set and non-empty.
    async fn required_env(&self, name: &str) -> Result<EnvVar> {
        match self.env(name).await? {
            Some(var) if !var.value().is_empty() => Ok(var),
            _ => Err(Error::MissingEnv {
                name: name.to_owned(),
            }),
        }
    }

    /// `console.info`.
    fn info(&self, message: &str) {
        self.log(LogLevel::Info, message);
    }

    /// `console.warn`.
    fn warn(&self, message: &str) {
        self.log(LogLevel::Warn, message);
    }

    /// `console.error`.
    fn error(&self, message: &str) {
        self.log(LogLevel::Error, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_request_debug_hides_its_parameters() {
        let request = ApiRequest {
            method: Method::Put,
            endpoint: "users/kp_1/password".to_owned(),
            params: Some(serde_json::json!({"hashed_password": "$2a$10$secrethash"})),
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("users/kp_1/password"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(!shown.contains("secrethash"), "{shown}");
    }
}
