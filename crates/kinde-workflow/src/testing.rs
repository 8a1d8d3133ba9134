//! An in-memory [`Host`] for native unit tests of workflow logic.
//!
//! ```
//! use kinde_workflow::testing::{block_on, MemoryHost};
//! use kinde_workflow::{FetchRequest, FetchResponse, Host};
//! use serde_json::json;
//!
//! let host = MemoryHost::new()
//!     .with_env("API_URL", "https://legacy.example/check")
//!     .on_fetch(|request| Ok(FetchResponse::json(200, json!({"seen": request.url}))));
//! let url = block_on(host.required_env("API_URL")).unwrap();
//! let answer = block_on(host.fetch(FetchRequest::post(url.value()))).unwrap();
//! assert_eq!(answer.json.unwrap()["seen"], "https://legacy.example/check");
//! assert_eq!(host.requests().len(), 1);
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde_json::Value;

use crate::host::{ApiRequest, EnvVar, FetchRequest, FetchResponse, Host, LogLevel};
use crate::{Binding, Error, Result, WorkflowSettings};

type FetchHandler = Box<dyn Fn(&FetchRequest) -> Result<FetchResponse>>;
type ApiHandler = Box<dyn Fn(&ApiRequest) -> Result<Value>>;

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

    /// Answers Management API calls with `handler`.
    pub fn on_management_api(
        mut self,
        handler: impl Fn(&ApiRequest) -> Result<Value> + 'static,
    ) -> Self {
        self.api = Some(Box::new(handler));
        self
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

    async fn management_api(&self, request: ApiRequest) -> Result<Value> {
        self.check(Binding::Fetch)?;
        self.check(Binding::Env)?;
        self.push(Call::ManagementApi(request.clone()));
        match &self.api {
            Some(handler) => handler(&request),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FailurePolicy, Trigger};

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
}
