//! `json::from_str` reads every case alike on every target: natively with serde_json,
//! on wasm32 through the host's `JSON.parse` and `json::from_js` (run under Node by
//! `scripts/wasm-bindgen-test.sh`). On wasm32 each case is also read with `from_js`
//! from the value the host parsed, as events and answers are.

use std::fmt::Debug;

use kinde_workflow::events::ExistingPasswordProvided;
use kinde_workflow::json::{
    self, IsString, JsonError, JwtClaims, JwtPayload, LenientBool, LenientString,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    users: Vec<User>,
    #[serde(default)]
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    id: String,
    #[serde(default)]
    name: LenientString,
    #[serde(default)]
    admin: LenientBool,
    #[serde(default, alias = "total")]
    count: Option<u16>,
}

/// A token answer read without its tokens' text: presence, and a JWT's payload.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Tokens {
    #[serde(default)]
    access_token: IsString,
    #[serde(default)]
    id_token: JwtPayload,
}

/// A token answer whose ID token's claims are read.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Signed {
    #[serde(default)]
    id_token: JwtClaims<Names>,
}

/// Claims of an ID token.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Names {
    given_name: String,
    #[serde(default)]
    age: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum Shape {
    Circle { r: u8 },
    Dot,
    Tagged(Option<User>),
    Pair(u8, String),
}

/// What a case must give: the value's `Debug`, or the error's path and message.
type Expected = Result<&'static str, (&'static str, &'static str)>;

/// Reads `text` as a `T` with `read`, and compares with `expected`.
fn check<T: DeserializeOwned + Debug>(
    read: impl Fn(&str) -> Result<T, JsonError>,
    text: &str,
    expected: Expected,
) {
    let got = read(text)
        .map(|value| format!("{value:?}"))
        .map_err(|err| (err.path().to_owned(), err.message().to_owned()));
    let expected = expected
        .map(str::to_owned)
        .map_err(|(path, message)| (path.to_owned(), message.to_owned()));
    assert_eq!(got, expected, "reading {text}");
}

/// Every case, read with `read` (one per type it reads into).
macro_rules! cases {
    ($read:path) => {{
        check::<Page>(
            $read,
            r#"{"users":[{"id":"a","name":"Ada","admin":true,"count":3},
                {"id":"b","name":[1,{"x":2}],"admin":"yes","total":70}],"next_token":null,"extra":{"deep":[1]}}"#,
            Ok(r#"Page { users: [User { id: "a", name: Some(..), admin: LenientBool(Some(true)), count: Some(3) }, User { id: "b", name: None, admin: LenientBool(None), count: Some(70) }], next_token: None }"#),
        );
        check::<Page>($read, r#"{"users":[{"id":"a"},{"id":7}]}"#, Err(("users[1].id", "invalid type: integer, expected a string")));
        check::<Page>($read, r#"{"users":[{"id":"a"},{}]}"#, Err(("users[1].id", "missing field")));
        check::<Page>($read, r#"{"users":"x"}"#, Err(("users", "invalid type: string, expected a sequence")));
        check::<Page>($read, r#"{"users":[{"id":"a"},["b"]]}"#, Err(("users[1]", "invalid type: sequence, expected struct User")));
        check::<Page>($read, r#"{"users":[{"id":null}]}"#, Err(("users[0].id", "invalid type: null, expected a string")));
        check::<Page>($read, r#"{"users":[{"id":true}]}"#, Err(("users[0].id", "invalid type: boolean, expected a string")));
        check::<Page>($read, r#"{"users":[{"id":"a","count":70000}]}"#, Err(("users[0].count", "invalid value: integer, expected u16")));
        check::<Page>($read, r#"{"users":[{"id":"a","count":1.5}]}"#, Err(("users[0].count", "invalid type: floating point, expected u16")));
        check::<Page>($read, r#"{"users":[{"id":"a","count":-1}]}"#, Err(("users[0].count", "invalid value: integer, expected u16")));
        check::<Page>($read, "{}", Err(("users", "missing field")));
        check::<User>($read, r#"["kp_1"]"#, Err((".", "invalid type: sequence, expected struct User")));
        check::<User>($read, "null", Err((".", "invalid type: null, expected struct User")));
        check::<User>($read, r#""kp_1""#, Err((".", "invalid type: string, expected struct User")));
        check::<Option<User>>($read, "null", Ok("None"));
        check::<Vec<Shape>>(
            $read,
            r#"["dot",{"circle":{"r":2}},{"tagged":{"id":"x"}},{"tagged":null},{"pair":[1,"x"]}]"#,
            Ok(r#"[Dot, Circle { r: 2 }, Tagged(Some(User { id: "x", name: None, admin: LenientBool(None), count: None })), Tagged(None), Pair(1, "x")]"#),
        );
        check::<Vec<Shape>>($read, r#"[{"tagged":["x"]}]"#, Err(("[0].tagged", "invalid type: sequence, expected struct User")));
        check::<Vec<Shape>>($read, r#"["dot","square"]"#, Err(("[1]", "unknown variant, expected one of `circle`, `dot`, `tagged`, `pair`")));
        check::<Vec<Shape>>($read, r#"[{"circle":{"r":"2"}}]"#, Err(("[0].circle.r", "invalid type: string, expected u8")));
        check::<(u8, String)>($read, r#"[1,"x"]"#, Ok(r#"(1, "x")"#));
        check::<(u8, String)>($read, r#"[1]"#, Err((".", "invalid length 1, expected a tuple of size 2")));
        check::<Vec<f64>>($read, "[1, 2.5, -3]", Ok("[1.0, 2.5, -3.0]"));
        check::<std::collections::BTreeMap<String, i64>>($read, r#"{"b":-2,"a":1}"#, Ok(r#"{"a": 1, "b": -2}"#));
        check::<String>($read, r#""line\nbreak \u00e9 \"quoted\"""#, Ok(r#""line\nbreak é \"quoted\"""#));
        check::<Tokens>($read, r#"{"access_token":"a.b.c","id_token":"h.p.s"}"#, Ok("Tokens { access_token: IsString(true), id_token: Some(..) }"));
        check::<Tokens>($read, r#"{"access_token":7,"id_token":{"p":1}}"#, Ok("Tokens { access_token: IsString(false), id_token: None }"));
        check::<Tokens>($read, r#"{"access_token":null,"id_token":["h.p.s"]}"#, Ok("Tokens { access_token: IsString(false), id_token: None }"));
        check::<Tokens>($read, r#"{"access_token":"","id_token":"no dots"}"#, Ok("Tokens { access_token: IsString(true), id_token: None }"));
        check::<Tokens>($read, "{}", Ok("Tokens { access_token: IsString(false), id_token: None }"));
        for (token, payload) in [("h.p.s", Some("p")), ("h.p", Some("p")), ("h.", Some("")), (".p.s.x", Some("p")), ("h.p\u{e9}.s", Some("p\u{e9}")), ("", None), ("hps", None)] {
            let text = format!("{{\"id_token\":{}}}", serde_json::to_string(token).unwrap());
            let got = $read(&text).map(|tokens: Tokens| tokens.id_token.0).map_err(|e| e.to_string());
            assert_eq!(got, Ok(payload.map(str::to_owned)), "payload of {token:?}");
        }
        // Payloads: {"given_name":"Ada","age":36}; {"given_name":"Ada"} padded, unsigned,
        // with non-zero trailing bits and with too much padding; lengths of every
        // remainder (4n, 4n + 2, 4n + 3 digits), with and without trailing bits; {"given_name":"Émile"};
        // "hello"; {"given_name":"<0xff>"}; {"given_name":7} (below).
        for (token, claims) in [
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIiwiYWdlIjozNn0.c2ln", Some(("Ada", Some(36)))),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0=.c2ln", Some(("Ada", None))),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhbSJ9.c2ln", Some(("Adam", None))),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIiwiYWdlIjozfQ.c2ln", Some(("Ada", Some(3)))),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIiwiYWdlIjozfR.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0", Some(("Ada", None))),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn1.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0==.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoiw4ltaWxlIn0.c2ln", Some(("\u{c9}mile", None))),
            ("e30.aGVsbG8.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoi_yJ9.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0!.c2ln", None),
            ("e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0a.c2ln", None),
            ("no dots", None),
            ("", None),
        ] {
            let text = format!("{{\"id_token\":{}}}", serde_json::to_string(token).unwrap());
            let got = $read(&text)
                .map(|signed: Signed| signed.id_token.0.map(|n| (n.given_name, n.age)))
                .map_err(|e| e.to_string());
            assert_eq!(got, Ok(claims.map(|(name, age)| (name.to_owned(), age))), "claims of {token:?}");
        }
        check::<Signed>($read, r#"{"id_token":7}"#, Ok("Signed { id_token: None }"));
        check::<Signed>($read, "{}", Ok("Signed { id_token: None }"));
        check::<Signed>($read, r#"{"id_token":"e30.eyJnaXZlbl9uYW1lIjoiQWRhIn0.c2ln"}"#, Ok("Signed { id_token: Some(..) }"));
        claims_that_do_not_fit($read);
        check::<ExistingPasswordProvided>(
            $read,
            r#"{"context":{"domains":{"kindeDomain":"https://x.kinde.com"},
                "auth":{"password":"p","hashedPassword":"h","hasUserRecordInKinde":true}}}"#,
            Err(("context.auth.providedEmail", "missing field")),
        );
    }};
}

/// Claims that are JSON but not the type's: an error naming the claim that did not fit
/// (natively in the message, on wasm32 in the path, `id_token.given_name`).
fn claims_that_do_not_fit(read: impl Fn(&str) -> Result<Signed, JsonError>) {
    let err = read(r#"{"id_token":"e30.eyJnaXZlbl9uYW1lIjo3fQ.c2ln"}"#).unwrap_err();
    assert!(
        err.message()
            .contains("invalid type: integer, expected a string"),
        "{err}"
    );
    assert!(
        format!("{}{}", err.path(), err.message()).contains("given_name"),
        "{err}"
    );
}

/// What no target reads the same way in detail: text that is no JSON.
fn not_json(read: impl Fn(&str) -> Result<User, JsonError>) {
    for text in ["", "{", r#"{"id":"a"} {"#, "<html>"] {
        let err = read(text).unwrap_err();
        assert_eq!(err.path(), ".");
        assert!(err.message().starts_with("not JSON"), "{text}: {err}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_case_reads_as_expected() {
    cases!(json::from_str);
    not_json(json::from_str);
}

#[cfg(target_arch = "wasm32")]
mod on_the_host {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_case_reads_as_expected_from_text() {
        cases!(json::from_str);
        not_json(json::from_str);
    }

    #[wasm_bindgen_test]
    fn every_case_reads_as_expected_from_the_hosts_value() {
        fn from_value<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
            json::from_js(&js_sys::JSON::parse(text).expect("every case is JSON"))
        }
        cases!(from_value);
    }
}
