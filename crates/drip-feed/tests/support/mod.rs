//! Shared test fixtures: the event, host behaviours, a stateful fake Kinde, and
//! a scanner for leaked secrets.

#![allow(dead_code)] // each test file uses part of this module

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use drip_feed::WORKFLOW_SETTINGS;
use kinde_workflow::events::{Event, ExistingPasswordProvided};
use kinde_workflow::testing::{Call, MemoryHost};
use kinde_workflow::{ApiRequest, Binding, Error, FetchRequest, FetchResponse, Method, Result};
use serde_json::{json, Value};

pub const EMAIL: &str = "ada@example.com";
pub const PASSWORD: &str = "pw-Sup3r-s3cret!";
pub const HASH: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
pub const AUTH0_SECRET: &str = "auth0-client-secret-0123456789";
pub const COGNITO_SECRET: &str = "cognito-app-client-secret-987";
pub const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const AWS_TOKEN: &str = "aws-session-token-IQoJb3JpZ2luX2VjEXAMPLE";
/// Every secret a run may hold; none may appear in logs, errors or `Debug`.
pub const SECRETS: &[&str] = &[
    PASSWORD,
    HASH,
    AUTH0_SECRET,
    COGNITO_SECRET,
    AWS_SECRET,
    AWS_TOKEN,
];
pub const KINDE_DOMAIN: &str = "https://acme.kinde.com";
pub const IP: &str = "203.0.113.7";

/// The sign-in event.
pub fn event(has_user_record_in_kinde: bool) -> ExistingPasswordProvided {
    ExistingPasswordProvided::from_json(
        &json!({
            "request": {"ip": IP, "userAgent": "UA"},
            "context": {
                "domains": {"kindeDomain": KINDE_DOMAIN},
                "auth": {
                    "providedEmail": EMAIL,
                    "password": PASSWORD,
                    "hashedPassword": HASH,
                    "hasUserRecordInKinde": has_user_record_in_kinde,
                },
                "workflow": {"trigger": "user:existing_password_provided"},
            }
        })
        .to_string(),
    )
    .unwrap()
}

/// How the host reports HTTP answers: status known or not × non-2xx returned or
/// thrown (`kinde.fetch: HTTP <status> from <METHOD> <url>: <body>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostMode {
    StatusReturned,
    NoStatusReturned,
    StatusThrown,
    NoStatusThrown,
}

pub const MODES: [HostMode; 4] = [
    HostMode::StatusReturned,
    HostMode::NoStatusReturned,
    HostMode::StatusThrown,
    HostMode::NoStatusThrown,
];

impl HostMode {
    fn reports_status(self) -> bool {
        matches!(self, HostMode::StatusReturned | HostMode::StatusThrown)
    }

    fn throws(self) -> bool {
        matches!(self, HostMode::StatusThrown | HostMode::NoStatusThrown)
    }
}

/// What a peer does with a request.
#[derive(Clone, Debug)]
pub enum PeerAnswer {
    /// Answers with a status and a body.
    Http(u16, String),
    /// Never answers (timeout, refused connection).
    Transport,
}

impl PeerAnswer {
    pub fn json(status: u16, body: Value) -> Self {
        PeerAnswer::Http(status, body.to_string())
    }
}

/// The message the emulator's throwing profile uses; bodies are cut at 2 KiB.
pub fn thrown_message(binding: &str, status: u16, method: &str, url: &str, body: &str) -> String {
    let mut cut = body.len().min(2048);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{binding}: HTTP {status} from {method} {url}: {}",
        &body[..cut]
    )
}

/// Delivers a peer's answer to the workflow as a host in `mode` would.
pub fn deliver(
    mode: HostMode,
    binding: Binding,
    request: &FetchRequest,
    answer: PeerAnswer,
) -> Result<FetchResponse> {
    match answer {
        PeerAnswer::Transport => Err(Error::Binding {
            binding,
            message: format!(
                "{binding} {} {}: dial tcp 127.0.0.1:9: connect: connection refused",
                request.method.as_str(),
                request.url
            ),
        }),
        PeerAnswer::Http(status, body) => {
            if mode.throws() && !(200..=299).contains(&status) {
                return Err(Error::Binding {
                    binding,
                    message: thrown_message(
                        binding.as_str(),
                        status,
                        request.method.as_str(),
                        &request.url,
                        &body,
                    ),
                });
            }
            let mut response = FetchResponse::text(status, body);
            if !mode.reports_status() {
                response.status = None;
            }
            Ok(response)
        }
    }
}

/// A Kinde user in the fake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindeUser {
    pub id: String,
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub password_hash: Option<String>,
}

/// A scripted Management API failure for the next matching call.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status and `{"errors":[{"code":...}]}` without acting.
    Status(u16, &'static str),
    /// Answer nothing, without acting.
    Lost,
    /// Act, then lose the answer.
    ActThenLose,
}

/// A stateful fake of Kinde's Management API (users, lookup, create, password).
#[derive(Default)]
pub struct FakeKinde {
    pub users: RefCell<Vec<KindeUser>>,
    faults: RefCell<VecDeque<(Method, &'static str, Fault)>>,
    next_id: RefCell<u32>,
    /// GETs to let through before faults apply to GETs.
    clean_gets: RefCell<u32>,
}

impl FakeKinde {
    /// A Kinde that has the bulk-imported user without a password.
    pub fn with_imported_user() -> Rc<Self> {
        let kinde = Self::empty();
        kinde.users.borrow_mut().push(KindeUser {
            id: "kp_imported".into(),
            email: EMAIL.into(),
            given_name: None,
            family_name: None,
            password_hash: None,
        });
        kinde
    }

    /// A Kinde without the user.
    pub fn empty() -> Rc<Self> {
        Rc::new(Self::default())
    }

    /// The next call with `method` whose endpoint starts with `prefix` fails so.
    pub fn fail_next(&self, method: Method, prefix: &'static str, fault: Fault) {
        self.faults.borrow_mut().push_back((method, prefix, fault));
    }

    /// Lets the next GET through even when GET faults are queued.
    pub fn faults_skip_first_get(&self) {
        *self.clean_gets.borrow_mut() += 1;
    }

    fn take_fault(&self, request: &ApiRequest) -> Option<Fault> {
        if request.method == Method::Get && *self.clean_gets.borrow() > 0 {
            *self.clean_gets.borrow_mut() -= 1;
            return None;
        }
        let mut faults = self.faults.borrow_mut();
        let index = faults.iter().position(|(method, prefix, _)| {
            *method == request.method && request.endpoint.starts_with(prefix)
        })?;
        faults.remove(index).map(|(_, _, fault)| fault)
    }

    /// Serves one call: `(status, body)`, or `None` when the answer is lost.
    fn serve(&self, request: &ApiRequest) -> Option<(u16, Value)> {
        let fault = self.take_fault(request);
        match fault {
            Some(Fault::Status(status, code)) => {
                return Some((
                    status,
                    json!({"errors": [{"code": code, "message": "scripted"}]}),
                ))
            }
            Some(Fault::Lost) => return None,
            _ => {}
        }
        let answer = self.act(request);
        match fault {
            Some(Fault::ActThenLose) => None,
            _ => Some(answer),
        }
    }

    fn act(&self, request: &ApiRequest) -> (u16, Value) {
        let mut users = self.users.borrow_mut();
        match request.method {
            Method::Get => {
                let query = request
                    .endpoint
                    .strip_prefix("users?")
                    .expect("users?email=");
                let email: String = form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == "email")
                    .map(|(_, v)| v.into_owned())
                    .expect("email parameter");
                let found: Vec<Value> = users
                    .iter()
                    .filter(|u| u.email.eq_ignore_ascii_case(&email))
                    .map(|u| json!({"id": u.id, "email": u.email, "first_name": u.given_name, "last_name": u.family_name}))
                    .collect();
                (
                    200,
                    json!({"code": "OK", "message": "Success", "users": found}),
                )
            }
            Method::Post => {
                assert_eq!(request.endpoint, "user");
                let params = params_of(request).expect("create params");
                let email = params["identities"][0]["details"]["email"]
                    .as_str()
                    .expect("identity email")
                    .to_owned();
                *self.next_id.borrow_mut() += 1;
                let id = format!("kp_new{}", self.next_id.borrow());
                users.push(KindeUser {
                    id: id.clone(),
                    email,
                    given_name: params["profile"]["given_name"].as_str().map(str::to_owned),
                    family_name: params["profile"]["family_name"].as_str().map(str::to_owned),
                    password_hash: None,
                });
                (
                    200,
                    json!({"id": id, "created": true, "identities": [{"type": "email", "result": {"created": true}}]}),
                )
            }
            Method::Put => {
                let id = request
                    .endpoint
                    .strip_prefix("users/")
                    .and_then(|rest| rest.strip_suffix("/password"))
                    .expect("users/{id}/password");
                let params = params_of(request).expect("password params");
                let Some(user) = users.iter_mut().find(|u| u.id == id) else {
                    return (
                        400,
                        json!({"errors": [{"code": "USER_INVALID", "message": "no such user"}]}),
                    );
                };
                assert_eq!(params["hashing_method"], "bcrypt");
                user.password_hash = params["hashed_password"].as_str().map(str::to_owned);
                (200, json!({"code": "OK", "message": "Success"}))
            }
            other => panic!("unexpected Management API method {other:?}"),
        }
    }

    /// Answers a Management API call as a host that returns (`throws == false`) or
    /// throws non-2xx answers would.
    pub fn handler(
        self: &Rc<Self>,
        throws: bool,
    ) -> impl Fn(&ApiRequest) -> Result<Value> + 'static {
        let kinde = Rc::clone(self);
        move |request| {
            let url = format!("{KINDE_DOMAIN}/api/v1/{}", request.endpoint);
            let method = request.method.as_str();
            match kinde.serve(request) {
                None => Err(Error::Binding {
                    binding: Binding::Fetch,
                    message: format!(
                        "kinde.fetch {method} {url}: read tcp: connection reset by peer"
                    ),
                }),
                Some((status, body)) if throws && !(200..=299).contains(&status) => {
                    Err(Error::Binding {
                        binding: Binding::Fetch,
                        message: thrown_message(
                            "kinde.fetch",
                            status,
                            method,
                            &url,
                            &body.to_string(),
                        ),
                    })
                }
                Some((_, body)) => Ok(body),
            }
        }
    }
}

/// A host enforcing the workflow's declared bindings.
pub fn host(env: &[(&str, &str)]) -> MemoryHost {
    env.iter().fold(
        MemoryHost::new().with_settings(WORKFLOW_SETTINGS),
        |host, (name, value)| {
            if SECRETS.contains(value) {
                host.with_secret_env(name, value)
            } else {
                host.with_env(name, value)
            }
        },
    )
}

/// Everything a run showed: logs, the outcome or error, and `Debug` of what it sent
/// to the legacy provider and to the sign-in widget.
pub fn visible_text<T: std::fmt::Debug>(host: &MemoryHost, result: &Result<T>) -> String {
    let mut text = String::new();
    for (level, line) in host.logs() {
        text.push_str(&format!("{level:?} {line}\n"));
    }
    match result {
        Ok(value) => text.push_str(&format!("{value:?}\n")),
        Err(err) => text.push_str(&format!("{err}\n{err:?}\n")),
    }
    for call in host.calls() {
        match call {
            // `ApiRequest`'s derived Debug prints its params (the SDK's, see the
            // crate report); the Management API only ever receives the hash, which
            // tests check separately.
            Call::ManagementApi(request) => {
                text.push_str(&format!("{:?} {}\n", request.method, request.endpoint))
            }
            other => text.push_str(&format!("{other:?}\n")),
        }
    }
    text
}

/// Fails if any secret shows in `text`.
pub fn assert_no_secrets(text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in:\n{text}"
        );
    }
}

/// The Management API calls made.
pub fn api_calls(host: &MemoryHost) -> Vec<ApiRequest> {
    host.calls()
        .into_iter()
        .filter_map(|call| match call {
            Call::ManagementApi(request) => Some(request),
            _ => None,
        })
        .collect()
}

/// The `invalidateFormField` calls made.
pub fn invalidations(host: &MemoryHost) -> Vec<(String, String)> {
    host.calls()
        .into_iter()
        .filter_map(|call| match call {
            Call::InvalidateFormField { field, message } => Some((field, message)),
            _ => None,
        })
        .collect()
}

/// The JSON body of a Management API call, parsed.
pub fn params_of(request: &ApiRequest) -> Option<Value> {
    let text = request.params_json()?;
    Some(serde_json::from_str(&text).expect("params are JSON"))
}
