//! Reading and writing JSON with errors that name the offending field.
//!
//! Events, fetch answers and Management API answers are all read with [`from_str`]
//! straight into the caller's types, with one JSON reader and no intermediate
//! `serde_json::Value` tree. Translated to JavaScript, every node of such a tree is
//! an allocation and a map walk that goja interprets, and its code is a tenth of a
//! small workflow.

#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod js_writer;
mod locate;
mod objects;

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

#[cfg(target_arch = "wasm32")]
pub use js::from_js;
#[cfg(target_arch = "wasm32")]
pub(crate) use js::{element_handle, read_element, stringify, HostValue};
#[cfg(target_arch = "wasm32")]
pub use js_writer::to_js;

/// A JSON document that could not be read as the expected type, or a value that could
/// not be written as JSON.
///
/// `path` names the field (`context.auth.providedEmail`, `users[0].id`, `.` for the
/// whole document); `message` says what is wrong, as serde puts it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at `{path}`: {message}")]
pub struct JsonError {
    path: String,
    message: String,
}

impl JsonError {
    /// The JSON path of the offending value.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Both parts, to build another error from them.
    pub fn into_parts(self) -> (String, String) {
        (self.path, self.message)
    }
}

/// Reads `json` as a `T`; on failure the error names the field that did not fit.
///
/// Structs are read from JSON objects only (serde_json alone also takes an array of
/// their fields), so `["hi"]` is no `{"message": "hi"}`, at any depth.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Page {
///     users: Vec<User>,
/// }
/// #[derive(serde::Deserialize)]
/// struct User {
///     #[allow(dead_code)]
///     id: String,
/// }
///
/// let err = kinde_workflow::json::from_str::<Page>(r#"{"users":[{"id":"a"},{"id":7}]}"#)
///     .err()
///     .unwrap();
/// assert_eq!(err.path(), "users[1].id");
/// assert_eq!(err.message(), "invalid type: integer, expected a string");
/// ```
///
/// On wasm32 the text is parsed by the host's `JSON.parse` and read with [`from_js`]:
/// translated to JavaScript, serde_json's reader would scan every byte in goja. Paths
/// and messages are the same, but for what the host's JSON decides (see [`from_js`])
/// and a text that is no JSON at all, which is `not JSON` without serde_json's detail.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, JsonError> {
    #[cfg(target_arch = "wasm32")]
    {
        js::from_text(json)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        from_str_in_rust(json)
    }
}

/// [`from_str`] with serde_json's reader, on every target.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn from_str_in_rust<T: DeserializeOwned>(json: &str) -> Result<T, JsonError> {
    read_in_rust(json).map_err(|err| located(json, &err))
}

/// Reads `json` with serde_json (structs from objects only), its error unlocated.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn read_in_rust<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    T::deserialize(objects::ObjectsOnly(&mut deserializer))
        .and_then(|value| deserializer.end().map(|()| value))
}

/// The error for `err`, serde_json's failure to read `json`, named by its path. Kept
/// apart from [`from_str`] so every type read shares it.
#[inline(never)]
fn located(json: &str, err: &serde_json::Error) -> JsonError {
    let message = without_value(&strip_position(&err.to_string()));
    if !err.is_data() {
        return JsonError {
            path: ".".to_owned(),
            message: format!("not JSON: {message}"),
        };
    }
    let path = locate::path_at(json, locate::offset_of(json, err.line(), err.column()));
    // serde reports a missing field at its parent; name the field itself.
    match missing_field_name(&message) {
        Some(field) => JsonError {
            path: locate::join(&path, field),
            message: "missing field".to_owned(),
        },
        None => JsonError { path, message },
    }
}

/// Writes `value` as compact JSON. Fails only for a map whose keys are not strings or
/// a `Serialize` implementation that reports an error.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    serde_json::to_string(value).map_err(|err| unwritable(&err))
}

/// The error for a value serde_json could not write; shared by every type written.
#[inline(never)]
fn unwritable(err: &serde_json::Error) -> JsonError {
    JsonError {
        path: ".".to_owned(),
        message: unwritable_message(&strip_position(&err.to_string())),
    }
}

/// The message of a value that cannot be written, from the writer's reason.
fn unwritable_message(reason: &str) -> String {
    format!("cannot be written as JSON: {reason}")
}

/// Extracts `name` from serde's "missing field `name`" message.
fn missing_field_name(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    Some(&rest[..rest.find('`')?])
}

/// serde's message without the value it found: `invalid type: string "…", expected
/// u16` becomes `invalid type: string, expected u16`. Answers carry tokens and events
/// carry personal data, and an error reaches the logs; the path says where to look.
/// What a type expects is written by the type (the last `, expected ` starts it), so
/// only the found value, between the kind and there, is dropped.
fn without_value(message: &str) -> String {
    for prefix in ["invalid type:", "invalid value:", "unknown variant"] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some(expected_at) = rest.rfind(", expected ") else {
            break;
        };
        // ` string "…"`, `` integer `7` ``, `` floating point `1.5` ``, `` `variant` ``:
        // the kind is what comes before the quoted value.
        let value = &rest[..expected_at];
        let quote = value.bytes().position(|b| b == b'"' || b == b'`');
        let kind = &value[..quote.unwrap_or(value.len())];
        let mut out = String::with_capacity(message.len());
        out.push_str(prefix);
        out.push_str(kind.strip_suffix(' ').unwrap_or(kind));
        out.push_str(&rest[expected_at..]);
        return out;
    }
    message.to_owned()
}

/// Drops serde_json's " at line 1 column 42" suffix: the path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// A field read as text when it holds a string and as absent when it holds anything
/// else (a number, `null`, an object), for answers from systems whose shape cannot
/// be relied on: one odd field does not make the rest of the answer unreadable.
///
/// ```
/// use kinde_workflow::json::{from_str, LenientString};
///
/// #[derive(serde::Deserialize)]
/// struct Answer {
///     #[serde(default)]
///     error: LenientString,
///     #[serde(default)]
///     result: LenientString,
/// }
///
/// let answer: Answer = from_str(r#"{"error":{"code":5},"result":"ok"}"#).unwrap();
/// assert_eq!((answer.error.as_deref(), answer.result.as_deref()), (None, Some("ok")));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LenientString(pub Option<String>);

impl LenientString {
    /// The text, when the field held a string.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl fmt::Debug for LenientString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Answers carry tokens: show whether a value is there, not what it is.
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

/// A field read as a boolean when it holds one and as absent when it holds anything
/// else; see [`LenientString`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LenientBool(pub Option<bool>);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(ScalarVisitor)? {
            Scalar::String(text) => Ok(LenientString(Some(text))),
            _ => Ok(LenientString(None)),
        }
    }
}

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(ScalarVisitor)? {
            Scalar::Bool(value) => Ok(LenientBool(Some(value))),
            _ => Ok(LenientBool(None)),
        }
    }
}

/// A field only checked for holding a string: `IsString(true)` when it does, `false`
/// for anything else or nothing. On wasm32 the host answers the question, so the text
/// (an access token a workflow only needs to see present) never crosses into the
/// module.
///
/// ```
/// use kinde_workflow::json::{from_str, IsString};
///
/// #[derive(serde::Deserialize)]
/// struct Answer {
///     #[serde(default)]
///     access_token: IsString,
/// }
///
/// assert!(from_str::<Answer>(r#"{"access_token":"eyJ..."}"#).unwrap().access_token.0);
/// assert!(!from_str::<Answer>(r#"{"access_token":7}"#).unwrap().access_token.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IsString(pub bool);

/// The payload of a JSON Web Token in a string field: the text between its first and
/// second dots (still Base64url), or `None` when the field holds no string or the
/// string has no dot. On wasm32 the host cuts the payload out, so the token's header
/// and signature never cross into the module.
///
/// ```
/// use kinde_workflow::json::{from_str, JwtPayload};
///
/// #[derive(serde::Deserialize)]
/// struct Answer {
///     #[serde(default)]
///     id_token: JwtPayload,
/// }
///
/// let answer: Answer = from_str(r#"{"id_token":"aGVhZA.cGF5bG9hZA.c2ln"}"#).unwrap();
/// assert_eq!(answer.id_token.as_deref(), Some("cGF5bG9hZA"));
/// let answer: Answer = from_str(r#"{"id_token":"no dots"}"#).unwrap();
/// assert_eq!(answer.id_token.as_deref(), None);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct JwtPayload(pub Option<String>);

impl JwtPayload {
    /// The payload, when the field held a token.
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl fmt::Debug for JwtPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A token's claims are personal data: show whether there is one, not what.
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

/// The claims of a JSON Web Token a string field holds: its payload (the text between
/// the first and second dots) decoded from base64url and read as JSON into `T`.
/// `None` when the field holds no string, or one without such a payload.
///
/// The signature is not checked, so read only tokens that came straight from their
/// issuer. On wasm32 the host decodes the payload and the reader takes the claims
/// from the host's value, so the token never crosses into the module and no base64
/// decoder is translated; natively the `base64` crate decodes it. Claims that are JSON
/// but do not fit `T` are `T`'s error.
///
/// ```
/// use kinde_workflow::json::{from_str, JwtClaims};
///
/// #[derive(serde::Deserialize)]
/// struct Names {
///     given_name: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// struct Answer {
///     #[serde(default)]
///     id_token: JwtClaims<Names>,
/// }
///
/// // The payload is `{"given_name":"Ada"}`.
/// let answer: Answer =
///     from_str(r#"{"id_token":"e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0.c2ln"}"#).unwrap();
/// assert_eq!(answer.id_token.0.unwrap().given_name, "Ada");
/// let answer: Answer = from_str(r#"{"id_token":"no dots"}"#).unwrap();
/// assert!(answer.id_token.0.is_none());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct JwtClaims<T>(pub Option<T>);

impl<T> Default for JwtClaims<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> fmt::Debug for JwtClaims<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A token's claims are personal data: show whether there are some, not what.
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

/// The newtype names by which the host's reader (wasm32) knows [`IsString`],
/// [`JwtPayload`] and [`JwtClaims`] and answers for them without fetching the string;
/// any other reader (serde_json) hands the value itself to `visit_newtype_struct`.
const IS_STRING: &str = "$kinde_workflow::json::IsString";
const JWT_PAYLOAD: &str = "$kinde_workflow::json::JwtPayload";
const JWT_CLAIMS: &str = "$kinde_workflow::json::JwtClaims";

/// The payload of `token`: the text between its first and second dots.
fn jwt_payload(token: &str) -> Option<&str> {
    token.split('.').nth(1)
}

impl<'de> Deserialize<'de> for IsString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(IS_STRING, IsStringVisitor)
    }
}

struct IsStringVisitor;

impl<'de> Visitor<'de> for IsStringVisitor {
    type Value = IsString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// The host's answer.
    fn visit_bool<E: de::Error>(self, is_string: bool) -> Result<IsString, E> {
        Ok(IsString(is_string))
    }

    /// Any other reader: the value itself.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, value: D) -> Result<IsString, D::Error> {
        let scalar = value.deserialize_any(ScalarVisitor)?;
        Ok(IsString(matches!(scalar, Scalar::String(_))))
    }
}

impl<'de> Deserialize<'de> for JwtPayload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(JWT_PAYLOAD, JwtPayloadVisitor)
    }
}

struct JwtPayloadVisitor;

impl<'de> Visitor<'de> for JwtPayloadVisitor {
    type Value = JwtPayload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// The host's answer: the payload it cut out.
    fn visit_string<E: de::Error>(self, payload: String) -> Result<JwtPayload, E> {
        Ok(JwtPayload(Some(payload)))
    }

    fn visit_str<E: de::Error>(self, payload: &str) -> Result<JwtPayload, E> {
        Ok(JwtPayload(Some(payload.to_owned())))
    }

    /// The host's answer: no string, or no dot in it.
    fn visit_none<E: de::Error>(self) -> Result<JwtPayload, E> {
        Ok(JwtPayload(None))
    }

    /// Any other reader: the value itself.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, value: D) -> Result<JwtPayload, D::Error> {
        Ok(JwtPayload(match value.deserialize_any(ScalarVisitor)? {
            Scalar::String(token) => jwt_payload(&token).map(str::to_owned),
            _ => None,
        }))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for JwtClaims<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(JWT_CLAIMS, JwtClaimsVisitor(PhantomData))
    }
}

struct JwtClaimsVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for JwtClaimsVisitor<T> {
    type Value = JwtClaims<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// The host's answer: the claims it decoded.
    fn visit_some<D: Deserializer<'de>>(self, claims: D) -> Result<JwtClaims<T>, D::Error> {
        T::deserialize(claims).map(|claims| JwtClaims(Some(claims)))
    }

    /// The host's answer: no string, or no readable payload in it.
    fn visit_none<E: de::Error>(self) -> Result<JwtClaims<T>, E> {
        Ok(JwtClaims(None))
    }

    /// Any other reader: the value itself.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        value: D,
    ) -> Result<JwtClaims<T>, D::Error> {
        match value.deserialize_any(ScalarVisitor)? {
            Scalar::String(token) => token_claims(&token).map(JwtClaims).map_err(|err| {
                de::Error::custom(format_args!(
                    "claims do not fit at `{}`: {}",
                    err.path(),
                    err.message()
                ))
            }),
            _ => Ok(JwtClaims(None)),
        }
    }
}

/// The claims of `token`, decoded by the host (wasm32).
#[cfg(target_arch = "wasm32")]
fn token_claims<T: DeserializeOwned>(token: &str) -> Result<Option<T>, JsonError> {
    js::token_claims(token)
}

/// The claims of `token`, its payload decoded with the `base64` crate.
#[cfg(not(target_arch = "wasm32"))]
fn token_claims<T: DeserializeOwned>(token: &str) -> Result<Option<T>, JsonError> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    // Base64url as JWTs use it: unpadded, but padding is tolerated.
    const BASE64URL: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let text = jwt_payload(token)
        .and_then(|payload| BASE64URL.decode(payload).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some(text) = text else {
        return Ok(None);
    };
    match read_in_rust(&text) {
        Ok(claims) => Ok(Some(claims)),
        Err(err) if !err.is_data() => Ok(None), // not JSON: no claims
        Err(err) => Err(located(&text, &err)),
    }
}

/// What a lenient field held: one visitor serves every lenient type, so a module
/// holds its code once.
enum Scalar {
    String(String),
    Bool(bool),
    Other,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
        Ok(Scalar::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Scalar, E> {
        Ok(Scalar::String(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        users: Vec<User>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct User {
        id: String,
        #[serde(default)]
        name: LenientString,
        #[serde(default)]
        admin: LenientBool,
    }

    #[test]
    fn messages_name_the_kind_of_value_found_never_the_value() {
        for (message, want) in [
            (
                r#"invalid type: string "tok\"en, expected x", expected u16"#,
                "invalid type: string, expected u16",
            ),
            (
                "invalid type: integer `7`, expected a string",
                "invalid type: integer, expected a string",
            ),
            (
                "invalid value: floating point `1.5`, expected a u8",
                "invalid value: floating point, expected a u8",
            ),
            (
                "invalid type: null, expected a boolean",
                "invalid type: null, expected a boolean",
            ),
            (
                "unknown variant `s3cret`, expected one of `a`, `b`",
                "unknown variant, expected one of `a`, `b`",
            ),
            (
                "invalid type: integer (value hidden), expected a string",
                "invalid type: integer (value hidden), expected a string",
            ),
            (
                "unknown field `x`, expected `y`",
                "unknown field `x`, expected `y`",
            ),
            ("missing field `id`", "missing field `id`"),
        ] {
            assert_eq!(without_value(message), want, "{message}");
        }
        let user = from_str::<User>(r#"{"id": "kp_1", "name": 1, "admin": 2}"#).unwrap();
        assert_eq!(user.id, "kp_1");
        let err = from_str::<Page>(r#"{"users": [{"id": ["a-token-value"]}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `users[0].id`: invalid type: sequence, expected a string"
        );
        let err = from_str::<u16>(r#""a-token-value""#).unwrap_err();
        assert!(!err.to_string().contains("a-token-value"), "{err}");
    }

    #[test]
    fn structs_are_read_from_objects_only_at_every_depth() {
        let err = from_str::<User>(r#"["kp_1", "Ada"]"#).unwrap_err();
        assert_eq!(err.path(), ".");
        assert_eq!(
            err.message(),
            "invalid type: sequence, expected struct User"
        );
        let err = from_str::<Page>(r#"{"users": [{"id": "a"}, ["b"]]}"#).unwrap_err();
        assert_eq!(err.path(), "users[1]");
        assert_eq!(
            err.message(),
            "invalid type: sequence, expected struct User"
        );
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Shape {
            Circle { r: u8 },
            Dot,
            Tagged(Option<User>),
        }
        let shapes: Vec<Shape> =
            from_str(r#"["dot", {"circle": {"r": 2}}, {"tagged": {"id": "x"}}, {"tagged": null}]"#)
                .unwrap();
        assert!(matches!(shapes[0], Shape::Dot));
        assert!(matches!(shapes[1], Shape::Circle { r: 2 }));
        assert!(matches!(&shapes[2], Shape::Tagged(Some(user)) if user.id == "x"));
        assert!(matches!(shapes[3], Shape::Tagged(None)));
        let err = from_str::<Vec<Shape>>(r#"[{"tagged": ["x"]}]"#).unwrap_err();
        assert_eq!(err.path(), "[0].tagged");
        let user: User = from_str(r#" {"id": "kp_1"} "#).unwrap();
        assert_eq!(user.id, "kp_1");
        let pair: (u8, String) = from_str(r#"[1, "x"]"#).unwrap();
        assert_eq!(pair, (1, "x".to_owned()));
        let err = from_str::<User>(r#"{"id": "kp_1"} {"#).unwrap_err();
        assert!(
            err.message().starts_with("not JSON: trailing characters"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_field_and_drop_the_position() {
        let err = from_str::<Page>(r#"{"users":[{"id":"a"},{}]}"#).unwrap_err();
        assert_eq!(
            (err.path(), err.message()),
            ("users[1].id", "missing field")
        );
        assert_eq!(err.to_string(), "at `users[1].id`: missing field");
        let err = from_str::<Page>(r#"{"users":"x"}"#).unwrap_err();
        assert_eq!(err.path(), "users");
        assert!(err.message().starts_with("invalid type: string"), "{err}");
        let err = from_str::<Page>("{").unwrap_err();
        assert_eq!(err.path(), ".");
        assert!(err.message().starts_with("not JSON: EOF"), "{err}");
        assert!(!err.message().contains("line"), "{err}");
    }

    #[test]
    fn lenient_strings_keep_strings_only_and_read_past_anything_else() {
        let page: Page = from_str(
            r#"{"users":[{"id":"a","name":"Ada"},{"id":"b","name":[1,{"x":[]}]},
                {"name":null,"id":"c"},{"id":"d","name":2.5},{"id":"e","name":{"a":"b"}},
                {"id":"f","name":true}]}"#,
        )
        .unwrap();
        let names: Vec<_> = page.users.iter().map(|u| u.name.as_deref()).collect();
        assert_eq!(names, [Some("Ada"), None, None, None, None, None]);
        let ids: Vec<_> = page.users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(format!("{:?}", page.users[0].name), "Some(..)");
        let flags: Page =
            from_str(r#"{"users":[{"id":"a","admin":true},{"id":"b","admin":"yes"},{"id":"c"}]}"#)
                .unwrap();
        let admins: Vec<_> = flags.users.iter().map(|u| u.admin.0).collect();
        assert_eq!(admins, [Some(true), None, None]);
    }

    #[test]
    fn writing_fails_only_for_what_json_cannot_hold() {
        assert_eq!(to_string(&[("a", 1)]).unwrap(), r#"[["a",1]]"#);
        let map = std::collections::BTreeMap::from([((1, 2), "x")]);
        let err = to_string(&map).unwrap_err();
        assert_eq!(err.path(), ".");
        assert!(
            err.message()
                .starts_with("cannot be written as JSON: key must be a string"),
            "{err}"
        );
    }
}
