//! `json::to_js` (wasm32, under Node: `scripts/wasm-bindgen-test.sh`) builds for every
//! case the value the host's `JSON.parse` gives for serde_json's text, and fails where
//! serde_json fails.
#![cfg(target_arch = "wasm32")]

use std::collections::{BTreeMap, HashMap};

use kinde_workflow::json;
use serde::{Serialize, Serializer};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[derive(Serialize)]
struct Profile<'a> {
    given_name: Option<&'a str>,
    family_name: Option<&'a str>,
    identities: Vec<Identity<'a>>,
    tags: BTreeMap<&'a str, u8>,
    marker: Marker,
    nothing: (),
}

#[derive(Serialize)]
struct Identity<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    is_verified: bool,
}

#[derive(Serialize)]
struct Marker;

/// A field whose name `JSON.parse` keeps as an own property.
#[derive(Serialize)]
struct Prototype {
    #[serde(rename = "__proto__")]
    proto: u8,
}

#[derive(Serialize)]
struct Pair(u8, &'static str);

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Wrapped(&'static str);

#[derive(Serialize)]
enum Shape {
    Dot,
    Circle(u8),
    Segment(i8, i8),
    Box { width: u8, height: u8 },
}

/// A value serde writes with `serialize_bytes`.
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// `JSON.stringify` of `value` as `to_js` built it, and of serde_json's text parsed by
/// the host: equal texts mean equal values (same keys, in the same order).
fn both<T: Serialize + ?Sized>(value: &T) -> (String, String) {
    let built = json::to_js(value).expect("serde_json writes every case");
    let parsed = js_sys::JSON::parse(&json::to_string(value).unwrap()).unwrap();
    (stringify(&built), stringify(&parsed))
}

fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

macro_rules! same {
    ($($value:expr),* $(,)?) => {$(
        let (built, parsed) = both(&$value);
        assert_eq!(built, parsed, "{}", stringify!($value));
    )*};
}

#[wasm_bindgen_test]
fn every_shape_is_built_as_the_host_parses_serde_jsons_text() {
    same![
        true,
        false,
        0u8,
        -7i8,
        -32768i16,
        i32::MIN,
        u32::MAX,
        1i64 << 53,
        -(1i64 << 53),
        1.5f64,
        -0.25f64,
        f64::NAN,
        f64::INFINITY,
        f32::NEG_INFINITY,
        'é',
        "line\nbreak \u{1F600} \"quoted\" \\ \u{0}",
        Bytes(&[0, 1, 255]),
        None::<u8>,
        Some("x"),
        (),
        Marker,
        Wrapped("inner"),
        Pair(1, "x"),
        (1u8, "two", [3u8]),
        vec![
            Shape::Dot,
            Shape::Circle(2),
            Shape::Segment(-1, 1),
            Shape::Box {
                width: 3,
                height: 4
            }
        ],
        BTreeMap::from([("b", 2u8), ("a", 1)]),
        BTreeMap::from([("__proto__", "an own key, not the prototype")]),
        BTreeMap::from([("__proto__", BTreeMap::from([("polluted", true)]))]),
        Prototype { proto: 1 },
        Profile {
            given_name: Some("Ada"),
            family_name: None,
            identities: vec![Identity {
                kind: "email",
                skipped: None,
                is_verified: true
            }],
            tags: BTreeMap::from([("x", 1)]),
            marker: Marker,
            nothing: (),
        },
    ];
}

#[wasm_bindgen_test]
fn numbers_and_keys_are_what_the_host_reads_from_serde_jsons_text() {
    same![
        u64::MAX,
        i64::MIN,
        (1u64 << 53) + 1,
        u128::MAX,
        i128::MIN,
        0.1f32,
        16_777_217.0f32,
        1e-40f32,
        BTreeMap::from([(1u32, "x"), (20, "y")]),
        BTreeMap::from([(-7i64, 1)]),
        BTreeMap::from([(u128::MAX, 1)]),
        BTreeMap::from([(true, "t"), (false, "f")]),
        BTreeMap::from([('k', 1)]),
        BTreeMap::from([(Some("some"), 1)]),
        BTreeMap::from([(Wrapped("newtype"), 1)]),
        BTreeMap::from([(Unit::Variant, 1)]),
        [Some(BTreeMap::from([(7i8, 1.5f32)]))],
    ];
    // serde_json writes float keys with its own digits (`1.0`, `1e21`), not the host's.
    same![FloatKeys(&[1.0, 1e21, -0.5, 0.1])];
    assert_eq!(both(&FloatKeys(&[1.0])).0, r#"{"1.0":0}"#);
    assert_eq!(both(&0.1f32).0, "0.1");
    assert_eq!(both(&BTreeMap::from([(1u32, "x")])).0, r#"{"1":"x"}"#);
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Variant,
}

/// A map whose keys are floats (no std map holds them).
struct FloatKeys(&'static [f64]);

impl Serialize for FloatKeys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (i, key) in self.0.iter().enumerate() {
            map.serialize_entry(key, &i)?;
        }
        map.end()
    }
}

/// Fails to serialize, with a message of its own.
struct Failing;

impl Serialize for Failing {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("no way"))
    }
}

#[wasm_bindgen_test]
fn what_serde_json_refuses_is_refused_with_its_message() {
    fn error<T: Serialize>(value: &T) -> (String, String) {
        let written = json::to_js(value).unwrap_err();
        let text = json::to_string(value).unwrap_err();
        assert_eq!(written.path(), ".");
        (written.message().to_owned(), text.message().to_owned())
    }
    for (written, text) in [
        error(&HashMap::from([((1, 2), "x")])),
        error(&HashMap::from([(None::<u8>, "x")])),
        error(&BTreeMap::from([((), "x")])),
        error(&FloatKeysNan),
        error(&[Failing]),
        error(&BTreeMap::from([("ok", Failing)])),
    ] {
        assert_eq!(written, text);
        assert!(
            written.starts_with("cannot be written as JSON: "),
            "{written}"
        );
    }
}

/// A map with a NaN key.
struct FloatKeysNan;

impl Serialize for FloatKeysNan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&f64::NAN, &1)?;
        map.end()
    }
}
