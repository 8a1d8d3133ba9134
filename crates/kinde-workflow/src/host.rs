//! The host interface: everything a workflow may ask of Kinde.
//!
//! In production the host is Kinde's bindings, reached through the generated shim
//! ([`JsHost`](crate::js::JsHost) on wasm32). In native tests it is
//! [`MemoryHost`](crate::testing::MemoryHost).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::json::{self, JsonError};
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
    /// Sent as JSON: the text [`FetchRequest::json`] wrote.
    Json(String),
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

    /// Sets a JSON body written from `body` and `Content-Type: application/json`.
    ///
    /// Fails only when `body` cannot be JSON (a map with non-string keys).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, JsonError> {
        self.body = Body::Json(json::to_string(body)?);
        Ok(self.header("Content-Type", "application/json"))
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
/// the host provides them. Read the body into a type of the caller's with
/// [`json`](Self::json), or as text with [`body`](Self::body); from Kinde's bindings
/// each crosses into the module only when asked for. `Debug` hides the body, which may
/// hold tokens.
#[derive(Clone, Default, PartialEq)]
pub struct FetchResponse {
    /// HTTP status, when the host reports it.
    pub status: Option<u16>,
    /// Response headers, when the host reports them.
    pub headers: Option<Vec<(String, String)>>,
    body: ResponseBody,
}

impl FetchResponse {
    /// A response with the given status whose body is `body` written as JSON.
    ///
    /// # Panics
    /// When `body` cannot be JSON (a map with non-string keys); meant for tests.
    pub fn from_json(status: u16, body: impl Serialize) -> Self {
        let text = json::to_string(&body).unwrap_or_else(|err| panic!("response body {err}"));
        Self::text(status, text)
    }

    /// A text response with the given status.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            headers: None,
            body: ResponseBody::Text(body.into()),
        }
    }

    /// A response the host holds (its body read on demand).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn held(
        status: Option<u16>,
        headers: Option<Vec<(String, String)>>,
        body: json::HostValue,
    ) -> Self {
        Self {
            status,
            headers,
            body: ResponseBody::Held(body),
        }
    }

    /// Reads the body as JSON into `T`; the error names the field that did not fit.
    ///
    /// ```
    /// use kinde_workflow::FetchResponse;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Check {
    ///     known: bool,
    /// }
    ///
    /// let response = FetchResponse::text(200, r#"{"known":true}"#);
    /// assert!(response.json::<Check>().unwrap().known);
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        self.body.json()
    }

    /// The body as text (a body the host gave only parsed is written back as JSON).
    ///
    /// ```
    /// use kinde_workflow::FetchResponse;
    ///
    /// assert_eq!(FetchResponse::text(502, "Bad Gateway").body(), "Bad Gateway");
    /// ```
    pub fn body(&self) -> &str {
        self.body.text()
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
            .field("body_len", &self.body().len())
            .finish_non_exhaustive()
    }
}

/// A response body: text, or (wasm32) an answer the host holds, read on demand.
#[derive(Clone)]
enum ResponseBody {
    Text(String),
    #[cfg(target_arch = "wasm32")]
    Held(json::HostValue),
}

impl ResponseBody {
    fn text(&self) -> &str {
        match self {
            ResponseBody::Text(text) => text,
            #[cfg(target_arch = "wasm32")]
            ResponseBody::Held(held) => held.text(),
        }
    }

    fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        match self {
            ResponseBody::Text(text) => json::from_str(text),
            #[cfg(target_arch = "wasm32")]
            ResponseBody::Held(held) => held.read(),
        }
    }
}

impl Default for ResponseBody {
    fn default() -> Self {
        ResponseBody::Text(String::new())
    }
}

/// Bodies are equal when their texts are.
impl PartialEq for ResponseBody {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
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
/// `Debug` shows the method and endpoint only: parameters carry password hashes. On
/// wasm32 the parameters are a value the host holds, so there the type is neither
/// `Send` nor `Sync`.
#[derive(Clone)]
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Endpoint below `/api/v1/`, e.g. `users?email=ada%40example.com`.
    pub endpoint: String,
    params: Option<Params>,
}

/// The parameters of a POST, PUT or PATCH, written once: JSON text natively; on wasm32
/// a value the host holds, which `createKindeAPI` hands to `kinde.fetch` as the body,
/// so no JSON text is written by translated code.
#[derive(Clone)]
struct Params(
    #[cfg(not(target_arch = "wasm32"))] String,
    #[cfg(target_arch = "wasm32")] wasm_bindgen::JsValue,
);

impl PartialEq for ApiRequest {
    /// Parameters are compared as JSON text (see [`ApiRequest::params_json`]).
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method
            && self.endpoint == other.endpoint
            && self.params_json() == other.params_json()
    }
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
    /// assert_eq!((call.method, call.params_json()), (Method::Get, None));
    /// ```
    pub fn get(endpoint: impl Into<String>) -> Self {
        Self::new(Method::Get, endpoint, None)
    }

    /// `POST /api/v1/{endpoint}` with `params` written as the JSON body.
    ///
    /// ```
    /// use kinde_workflow::ApiRequest;
    ///
    /// #[derive(serde::Serialize)]
    /// struct NewOrganization<'a> {
    ///     name: &'a str,
    /// }
    ///
    /// let call = ApiRequest::post("organization", &NewOrganization { name: "Acme" }).unwrap();
    /// assert_eq!(call.params_json().as_deref(), Some(r#"{"name":"Acme"}"#));
    /// ```
    pub fn post<T: Serialize + ?Sized>(
        endpoint: impl Into<String>,
        params: &T,
    ) -> Result<Self, JsonError> {
        Self::with_params(Method::Post, endpoint, params)
    }

    /// `PUT /api/v1/{endpoint}` with `params` written as the JSON body.
    pub fn put<T: Serialize + ?Sized>(
        endpoint: impl Into<String>,
        params: &T,
    ) -> Result<Self, JsonError> {
        Self::with_params(Method::Put, endpoint, params)
    }

    /// `PATCH /api/v1/{endpoint}` with `params` written as the JSON body.
    pub fn patch<T: Serialize + ?Sized>(
        endpoint: impl Into<String>,
        params: &T,
    ) -> Result<Self, JsonError> {
        Self::with_params(Method::Patch, endpoint, params)
    }

    /// `DELETE /api/v1/{endpoint}`.
    pub fn delete(endpoint: impl Into<String>) -> Self {
        Self::new(Method::Delete, endpoint, None)
    }

    /// The parameters as JSON text: serde_json's natively; on wasm32 the host's
    /// `JSON.stringify` of its value, which writes numbers as JavaScript does (`1.0` as
    /// `1`, integers beyond 2^53 rounded) and integer-like keys first.
    ///
    /// ```
    /// use kinde_workflow::ApiRequest;
    ///
    /// let call = ApiRequest::patch("users/kp_1", &[("given_name", "Ada")].into_iter().collect::<std::collections::BTreeMap<_, _>>()).unwrap();
    /// assert_eq!(call.params_json().as_deref(), Some(r#"{"given_name":"Ada"}"#));
    /// assert_eq!(ApiRequest::get("users").params_json(), None);
    /// ```
    pub fn params_json(&self) -> Option<std::borrow::Cow<'_, str>> {
        #[cfg(not(target_arch = "wasm32"))]
        return self.params.as_ref().map(|params| params.0.as_str().into());
        #[cfg(target_arch = "wasm32")]
        return self
            .params
            .as_ref()
            .map(|params| json::stringify(&params.0).into());
    }

    /// The parameters as the host holds them (`undefined` when there are none).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn params_value(&self) -> wasm_bindgen::JsValue {
        self.params
            .as_ref()
            .map_or(wasm_bindgen::JsValue::UNDEFINED, |params| params.0.clone())
    }

    fn with_params<T: Serialize + ?Sized>(
        method: Method,
        endpoint: impl Into<String>,
        params: &T,
    ) -> Result<Self, JsonError> {
        #[cfg(not(target_arch = "wasm32"))]
        let params = Params(json::to_string(params)?);
        #[cfg(target_arch = "wasm32")]
        let params = Params(json::to_js(params)?);
        Ok(Self::new(method, endpoint, Some(params)))
    }

    fn new(method: Method, endpoint: impl Into<String>, params: Option<Params>) -> Self {
        Self {
            method,
            endpoint: endpoint.into(),
            params,
        }
    }
}

/// What a Management API call answered, read into a type of the caller's with
/// [`json`](Self::json). `Debug` shows the length only.
#[derive(Clone, Default, PartialEq)]
pub struct ApiResponse {
    body: ResponseBody,
}

impl ApiResponse {
    /// An answer of `body` written as JSON.
    ///
    /// # Panics
    /// When `body` cannot be JSON (a map with non-string keys); meant for tests.
    pub fn from_json(body: impl Serialize) -> Self {
        let text = json::to_string(&body).unwrap_or_else(|err| panic!("API answer {err}"));
        Self {
            body: ResponseBody::Text(text),
        }
    }

    /// An answer the host holds (read on demand).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn held(body: json::HostValue) -> Self {
        Self {
            body: ResponseBody::Held(body),
        }
    }

    /// Reads the answer into `T`; the error names the field that did not fit.
    /// `Option<T>` reads an empty (`null`) answer as `None`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        self.body.json()
    }

    /// The answer as JSON text (`null` when the API answered nothing).
    pub fn body(&self) -> &str {
        self.body.text()
    }
}

impl fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("text_len", &self.body().len())
            .finish()
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
    /// token and form-encodes the token request). Returns the answer; read it with
    /// [`ApiResponse::json`].
    async fn management_api(&self, request: ApiRequest) -> Result<ApiResponse>;

    /// `kinde.widget.invalidateFormField` (binding [`Binding::Widget`](crate::Binding::Widget)).
    async fn invalidate_form_field(&self, field: &str, message: &str) -> Result<()>;

    /// `kinde.auth.denyAccess` (binding [`Binding::Auth`](crate::Binding::Auth)).
    async fn deny_access(&self, reason: &str) -> Result<()>;

    /// `console.*` (binding [`Binding::Console`](crate::Binding::Console)).
    fn log(&self, level: LogLevel, message: &str);

    /// `kinde.idToken.setCustomClaim` (binding [`Binding::IdToken`]): adds or replaces a
    /// custom claim of the ID token being issued, `value` written as JSON.
    async fn set_id_token_claim<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<()> {
        let _ = (name, value);
        Err(not_provided(Binding::IdToken))
    }

    /// `kinde.accessToken.setCustomClaim` (binding [`Binding::AccessToken`]).
    async fn set_access_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
        let _ = (name, value);
        Err(not_provided(Binding::AccessToken))
    }

    /// `kinde.m2mToken.setCustomClaim` (binding [`Binding::M2mToken`]).
    async fn set_m2m_token_claim<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<()> {
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
        let request = ApiRequest::put(
            "users/kp_1/password",
            &serde_json::json!({"hashed_password": "$2a$10$secrethash"}),
        )
        .unwrap();
        let shown = format!("{request:?}");
        assert!(shown.contains("users/kp_1/password"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(!shown.contains("secrethash"), "{shown}");
        let body = FetchRequest::post("https://x.example/check")
            .json(&serde_json::json!({"password": "hunter2"}))
            .unwrap();
        assert!(!format!("{body:?}").contains("hunter2"));
    }

    #[test]
    fn answers_are_read_into_the_callers_types() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct User {
            id: String,
        }
        let empty = ApiResponse::from_json(Value::Null);
        assert_eq!(empty.json::<Option<User>>().unwrap(), None);
        let user = ApiResponse::from_json(serde_json::json!({"id": "kp_1", "extra": [1]}));
        assert_eq!(user.json::<User>().unwrap().id, "kp_1");
        assert_eq!(format!("{user:?}"), "ApiResponse { text_len: 25 }");
        let err = FetchResponse::text(502, "<html>")
            .json::<User>()
            .unwrap_err();
        assert_eq!(err.path(), ".");
        let err = Error::from(
            FetchResponse::from_json(200, [1])
                .json::<User>()
                .unwrap_err(),
        );
        assert_eq!(
            err.to_string(),
            "unexpected JSON at `.`: invalid type: sequence, expected struct User"
        );
    }
}
