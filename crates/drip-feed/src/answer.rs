//! A provider's answer, whichever way the host delivered it.
//!
//! Hosts differ: `status` may be missing, and a non-2xx answer may come back as a
//! normal response or be thrown as `kinde.fetch: HTTP <status> from <METHOD> <url>:
//! <body>`. Both are turned into one [`Answer`], so providers classify the body (and
//! the status when known) the same way under every host.

use std::fmt;

use kinde_workflow::json::{self, IsString, JwtClaims, LenientBool, LenientString};
use kinde_workflow::{Error, FetchResponse, Result};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// What a provider said.
#[derive(Debug)]
pub(crate) struct Answer {
    /// HTTP status, when the host reports it.
    pub status: Option<u16>,
    /// The fields providers answer with, read from the body when it is a JSON object.
    pub fields: Fields,
    body: Body,
}

/// Where an answer's body is: in the response (read from the host only when a rule
/// needs the text), or in the message of a thrown answer.
#[derive(Debug)]
enum Body {
    Response(FetchResponse),
    Thrown(String),
}

/// Every field the workflow reads from an answer (a provider's, Kinde's Management
/// API's, an ID token's claims), in one type read by one hand-written visitor: a
/// derived reader costs the module several KB per type once translated, most of it
/// for fields this workflow never has. A field holding anything but the expected
/// scalar reads as absent, a repeated key keeps its last value, and a body that is
/// not a JSON object leaves every field absent.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    /// OAuth token answers (Auth0, Azure AD B2C): whether there is an access token
    /// (its text is never read).
    pub access_token: IsString,
    /// OAuth token answers: the ID token's claims, where the legacy profile's names
    /// are (decoded by the host on wasm32: the token never crosses).
    pub id_token: JwtClaims<Box<Claims>>,
    /// OAuth error code.
    pub error: LenientString,
    /// OAuth error text (Azure AD B2C opens it with its `AADB2C…` code).
    pub error_description: LenientString,
    /// The custom endpoint's verdict.
    pub result: LenientString,
    /// The custom endpoint's profile, and an ID token's claim.
    pub given_name: LenientString,
    /// The custom endpoint's profile, and an ID token's claim.
    pub family_name: LenientString,
    /// Cognito (`AuthenticationResult`): the tokens of a successful sign-in.
    pub authentication_result: Option<Box<AuthenticationResult>>,
    /// Cognito (`IdToken`): the claims of the ID token in `AuthenticationResult`.
    pub cognito_id_token: JwtClaims<Box<Claims>>,
    /// Cognito (`ChallengeName`): a further step the sign-in needs.
    pub challenge_name: LenientString,
    /// Cognito (`__type`): the error's type.
    pub error_type: LenientString,
    /// Cognito: the error's text.
    pub message: LenientString,
    /// Cognito (`Message`): the error's text, as some errors spell it.
    pub message_capitalised: LenientString,
    /// Management API `GET users`: the matching users (`null` when there are none).
    pub users: Option<Vec<ListedUser>>,
    /// Management API: a user's id (in `users`, or the one `POST user` created).
    pub id: LenientString,
    /// Management API: a user's e-mail address in `users`.
    pub email: LenientString,
    /// Management API `POST user`: `false` when Kinde did not create the user.
    pub created: LenientBool,
    /// Management API: `{"errors": [{"code", "message"}]}` (or one error object).
    pub errors: Option<ApiErrors>,
    /// Management API: an error's code, in `errors`.
    pub code: LenientString,
}

/// Every key [`Fields`] reads: those of its string fields first, in the order of
/// [`Fields::text_mut`], then [`ACCESS_TOKEN`], [`ID_TOKEN`], [`COGNITO_ID_TOKEN`],
/// [`AUTHENTICATION_RESULT`], [`USERS`], [`CREATED`] and [`ERRORS`].
const KEYS: [&str; 19] = [
    "error",
    "error_description",
    "result",
    "given_name",
    "family_name",
    "ChallengeName",
    "__type",
    "message",
    "Message",
    "id",
    "email",
    "code",
    "access_token",
    "id_token",
    "IdToken",
    "AuthenticationResult",
    "users",
    "created",
    "errors",
];

/// How many of [`KEYS`] name string fields.
const TEXT_KEYS: usize = 12;

/// The places in [`KEYS`] of the keys that are not string fields.
const ACCESS_TOKEN: usize = TEXT_KEYS;
const ID_TOKEN: usize = TEXT_KEYS + 1;
const COGNITO_ID_TOKEN: usize = TEXT_KEYS + 2;
const AUTHENTICATION_RESULT: usize = TEXT_KEYS + 3;
const USERS: usize = TEXT_KEYS + 4;
const CREATED: usize = TEXT_KEYS + 5;
const ERRORS: usize = TEXT_KEYS + 6;

impl Fields {
    /// The string field read from `KEYS[slot]`.
    fn text_mut(&mut self, slot: usize) -> &mut LenientString {
        match slot {
            0 => &mut self.error,
            1 => &mut self.error_description,
            2 => &mut self.result,
            3 => &mut self.given_name,
            4 => &mut self.family_name,
            5 => &mut self.challenge_name,
            6 => &mut self.error_type,
            7 => &mut self.message,
            8 => &mut self.message_capitalised,
            9 => &mut self.id,
            10 => &mut self.email,
            _ => &mut self.code,
        }
    }
}

/// A key of an answer: its place in [`KEYS`], `None` for one [`Fields`] does not read.
struct FieldKey(Option<usize>);

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(FieldKeyVisitor)
    }
}

struct FieldKeyVisitor;

impl<'de> Visitor<'de> for FieldKeyVisitor {
    type Value = FieldKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<FieldKey, E> {
        // The lengths first: a call compares the bytes, and most keys differ in length.
        let place = KEYS
            .iter()
            .position(|known| known.len() == key.len() && known.as_bytes() == key.as_bytes());
        Ok(FieldKey(place))
    }
}

/// Every key [`Fields`] reads, as a set of keys (bit `i` for `KEYS[i]`).
const ALL_KEYS: u32 = (1 << KEYS.len()) - 1;

/// `names` as a set of keys (bit `i` for `KEYS[i]`); a name `Fields` does not read
/// fails the build.
const fn keys_mask(names: &[&str]) -> u32 {
    let mut mask = 0;
    let mut n = 0;
    while n < names.len() {
        let mut i = 0;
        while !const_eq(KEYS[i], names[n]) {
            i += 1;
            assert!(i < KEYS.len(), "not a key `Fields` reads");
        }
        mask |= 1 << i;
        n += 1;
    }
    mask
}

/// `a == b`, in a constant.
const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor { keys: ALL_KEYS })
    }
}

/// Declares a type that reads an object into [`Fields`] from the given keys only: the
/// host hands over just these, so the object's other keys (a Kinde user's dozen, an ID
/// token's claims) never cross into the module, and natively, where serde_json reads
/// every key, the others are skipped alike.
macro_rules! fields_of {
    ($(#[$doc:meta])* $name:ident: [$($key:literal),+]) => {
        $(#[$doc])*
        #[derive(Debug, Default)]
        pub(crate) struct $name(pub Fields);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($key),+];
                let visitor = FieldsVisitor { keys: keys_mask(NAMES) };
                deserializer
                    .deserialize_struct(stringify!($name), NAMES, visitor)
                    .map($name)
            }
        }
    };
}

fields_of! {
    /// Cognito's `AuthenticationResult`: only its `IdToken` is read (not the access and
    /// refresh tokens beside it).
    AuthenticationResult: ["IdToken"]
}

fields_of! {
    /// A user in a Management API `GET users` answer: its `id` and `email`.
    ListedUser: ["id", "email"]
}

fields_of! {
    /// An ID token's claims: the names only.
    Claims: ["given_name", "family_name"]
}

/// Reads an object into [`Fields`], from the keys in `keys` (bit `i` for `KEYS[i]`),
/// skipping the others.
struct FieldsVisitor {
    keys: u32,
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::default();
        while let Some(FieldKey(place)) = map.next_key()? {
            match place.filter(|&i| self.keys & (1 << i) != 0) {
                Some(slot) if slot < TEXT_KEYS => *fields.text_mut(slot) = map.next_value()?,
                Some(ACCESS_TOKEN) => fields.access_token = map.next_value()?,
                Some(ID_TOKEN) => fields.id_token = map.next_value()?,
                Some(COGNITO_ID_TOKEN) => fields.cognito_id_token = map.next_value()?,
                Some(AUTHENTICATION_RESULT) => {
                    fields.authentication_result = map.next_value()?;
                }
                Some(USERS) => fields.users = map.next_value()?,
                Some(CREATED) => fields.created = map.next_value()?,
                Some(ERRORS) => fields.errors = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// The `errors` of a Management API answer: the first error's `code`, if it has one.
#[derive(Debug, Default)]
pub(crate) struct ApiErrors {
    pub code: Option<String>,
}

impl<'de> Deserialize<'de> for ApiErrors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ApiErrorsVisitor)
    }
}

/// Reads a list of errors (keeping the first) or one error object; any other value
/// is an error without a code.
struct ApiErrorsVisitor;

impl<'de> Visitor<'de> for ApiErrorsVisitor {
    type Value = ApiErrors;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of errors or an error")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ApiErrors, A::Error> {
        let first = seq.next_element::<ApiErrors>()?.unwrap_or_default();
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ApiErrors, A::Error> {
        let error = FieldsVisitor { keys: ALL_KEYS }.visit_map(map)?;
        Ok(ApiErrors { code: error.code.0 })
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<ApiErrors, E> {
        Ok(ApiErrors::default())
    }
}

impl Fields {
    /// The fields of `body`; all absent when it is not a JSON object of that shape.
    pub fn read(body: &str) -> Fields {
        json::from_str(body).unwrap_or_default()
    }
}

/// The result of one request to a provider.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The provider answered (boxed: [`Fields`] is large).
    Answer(Box<Answer>),
    /// The request never got an answer (timeout, refused connection, ...).
    Unreachable,
}

impl Answer {
    /// The body as text (possibly truncated by the host when it was thrown).
    pub fn text(&self) -> &str {
        match &self.body {
            Body::Response(response) => response.body(),
            Body::Thrown(text) => text,
        }
    }

    /// Whether the status is known to be other than 2xx.
    pub fn is_known_failure(&self) -> bool {
        self.status
            .is_some_and(|status| !(200..=299).contains(&status))
    }
}

/// Reads the host's result of a fetch. Errors other than a failed binding call
/// (e.g. an undeclared binding) are the workflow's own and pass through.
pub(crate) fn reply(result: Result<FetchResponse>) -> Result<Reply> {
    match result {
        Ok(response) => Ok(Reply::Answer(Box::new(Answer {
            status: response.status,
            fields: response.json().unwrap_or_default(),
            body: Body::Response(response),
        }))),
        Err(Error::Binding { message, .. }) => Ok(match parse_thrown_http(&message) {
            Some((status, body)) => Reply::Answer(Box::new(Answer {
                status: Some(status),
                fields: Fields::read(body),
                body: Body::Thrown(body.to_owned()),
            })),
            None => Reply::Unreachable,
        }),
        Err(other) => Err(other),
    }
}

/// Reads `kinde.<binding>: HTTP <status> from <METHOD> <url>: <body>` into the
/// status and body; `None` for any other message (a transport failure).
pub(crate) fn parse_thrown_http(message: &str) -> Option<(u16, &str)> {
    let rest = message.strip_prefix("kinde.")?;
    let (_, rest) = rest.split_once(": HTTP ")?;
    let status = rest.get(..3)?.parse().ok()?;
    let rest = rest.get(3..)?.strip_prefix(" from ")?;
    let body = rest.split_once(": ").map_or("", |(_, body)| body);
    Some((status, body))
}

/// A short, bounded code for log lines, taken from a provider's error field.
pub(crate) fn code(text: &str) -> String {
    text.chars().take(64).collect()
}

/// `HTTP <status>` or `no status` for log lines.
pub(crate) fn status_code(status: Option<u16>) -> String {
    match status {
        Some(status) => {
            let mut code = String::from("HTTP ");
            code.push_str(&status.to_string());
            code
        }
        None => String::from("no status"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinde_workflow::Binding;

    fn thrown(message: &str) -> Result<FetchResponse> {
        Err(Error::Binding {
            binding: Binding::Fetch,
            message: message.to_owned(),
        })
    }

    #[test]
    fn thrown_http_answers_keep_status_and_body() {
        let Reply::Answer(answer) = reply(thrown(
            r#"kinde.fetch: HTTP 403 from POST https://t.example/oauth/token: {"error":"invalid_grant"}"#,
        ))
        .unwrap() else {
            panic!("expected an answer")
        };
        assert_eq!(answer.status, Some(403));
        assert_eq!(answer.fields.error.as_deref(), Some("invalid_grant"));
        let Reply::Answer(empty) =
            reply(thrown("kinde.secureFetch: HTTP 502 from POST https://x/: ")).unwrap()
        else {
            panic!("expected an answer")
        };
        assert_eq!(
            (empty.status, empty.fields.error.as_deref()),
            (Some(502), None)
        );
    }

    #[test]
    fn other_binding_failures_are_unreachable_and_other_errors_pass_through() {
        for message in [
            "kinde.fetch POST https://x: dial tcp: connection refused",
            "kinde.fetch: HTTP abc from POST x: y",
            "execution time exceeded",
        ] {
            assert!(
                matches!(reply(thrown(message)).unwrap(), Reply::Unreachable),
                "{message}"
            );
        }
        let err = reply(Err(Error::msg("boom"))).unwrap_err();
        assert_eq!(err.to_string(), "boom");
    }

    #[test]
    fn fields_of_odd_shapes_read_as_absent() {
        let fields = Fields::read(
            r#"{"error":{"code":1},"error_description":"AADB2C90118: x","AuthenticationResult":{"IdToken":7},"extra":[1]}"#,
        );
        assert_eq!(fields.error.as_deref(), None);
        assert_eq!(fields.error_description.as_deref(), Some("AADB2C90118: x"));
        let result = fields.authentication_result.expect("an object");
        assert!(result.0.cognito_id_token.0.is_none());
        for body in ["", "<html>", "[1]", r#""text""#, "null"] {
            let fields = Fields::read(body);
            assert!(fields.error.as_deref().is_none() && fields.authentication_result.is_none());
        }
    }
}
