//! Reads JSON values the host already holds (wasm32 only): the event, a fetch answer's
//! parsed body, a Management API answer.
//!
//! Handing Rust the JSON text costs twice per byte once translated to JavaScript: a
//! loop copies every character into the module's memory and serde_json scans every
//! byte, interpreted by goja, whether the type reads the value or not. This reader asks
//! the host for one value at a time instead: a struct's fields by name (its keys never
//! cross), a map's keys, and only the values the visitor reads. A value read as
//! [`IgnoredAny`](serde::de::IgnoredAny), or a field the type does not have, never
//! crosses, so an answer's tokens that a workflow skips cost nothing.
//!
//! Errors are those of [`from_str`](super::from_str) for the same document: the path
//! of the offending value and serde's message naming the kind of value found, never
//! the value. What the host's JSON already decided differs: a repeated key keeps its
//! last value, `7.0` is the integer 7, and a struct's unknown fields are not seen, so
//! `#[serde(deny_unknown_fields)]` does not apply.

use std::fmt::{self, Display};

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use wasm_bindgen::prelude::*;

use super::{without_value, JsonError};

// Each function that looks a value up leaves it in `slot` and returns its kind, so a
// scalar then crosses with one more call and no handle to the value is made.
#[wasm_bindgen(inline_js = "
let slot;
function kindOf(value) {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean': return value ? 2 : 1;
    case 'number': return 3;
    case 'string': return 4;
    case 'undefined': return 7;
  }
  return Array.isArray(value) ? 5 : 6;
}
export function jsonRoot(value) { slot = value; return kindOf(value); }
export function jsonField(object, name) {
  if (!Object.prototype.hasOwnProperty.call(object, name)) return 7;
  slot = object[name];
  return kindOf(slot);
}
export function jsonElement(array, index) { slot = array[index]; return kindOf(slot); }
export function jsonSlot() { return slot; }
export function jsonJwtPayload() {
  const start = slot.indexOf('.') + 1;
  if (start === 0) return undefined;
  const end = slot.indexOf('.', start);
  return end < 0 ? slot.slice(start) : slot.slice(start, end);
}
// base64url digits by character code (ASCII), made on first use.
let base64url;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// The claims of a JWT: its payload decoded (base64url, UTF-8, JSON), or undefined.
// Four digits (three bytes) per step: in goja each operation costs, not each byte.
function claimsOf(token) {
  if (typeof token !== 'string') return undefined;
  const start = token.indexOf('.') + 1;
  if (start === 0) return undefined;
  let end = token.indexOf('.', start);
  if (end < 0) end = token.length;
  let digits = end;
  while (digits > start && token.charCodeAt(digits - 1) === 61) digits--;
  const length = digits - start;
  // Padding is optional, but when present it is whole (at most two '=').
  if (length % 4 === 1 || end - digits > 2 || (end > digits && (end - start) % 4 !== 0)) return undefined;
  const payload = token.slice(start, digits);
  if (!BASE64URL.test(payload)) return undefined;
  if (base64url === undefined) {
    base64url = new Int8Array(128);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 64; i++) base64url[alphabet.charCodeAt(i)] = i;
  }
  const t = base64url, bytes = [], whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    const n = (t[payload.charCodeAt(i)] << 18) | (t[payload.charCodeAt(i + 1)] << 12) |
      (t[payload.charCodeAt(i + 2)] << 6) | t[payload.charCodeAt(i + 3)];
    bytes.push(n >> 16, (n >> 8) & 255, n & 255);
  }
  if (length > whole) {
    // Two digits hold a byte, three hold two; the bits left over must be zero.
    let n = 0;
    for (let i = whole; i < length; i++) n = (n << 6) | t[payload.charCodeAt(i)];
    if (length - whole === 2) {
      if ((n & 15) !== 0) return undefined;
      bytes.push(n >> 4);
    } else {
      if ((n & 3) !== 0) return undefined;
      bytes.push(n >> 10, (n >> 2) & 255);
    }
  }
  try {
    // The module's own UTF-8 decoder (the shim's fallback where the host has none);
    // bytes that are not UTF-8, or a byte-order mark, make no JSON.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
    return JSON.parse(text);
  } catch (_) {
    return undefined;
  }
}
export function jsonJwtClaims() {
  const claims = claimsOf(slot);
  if (claims === undefined) return 8;
  slot = claims;
  return kindOf(claims);
}
export function jsonClaimsOf(token) {
  const claims = claimsOf(token);
  if (claims === undefined) return 8;
  slot = claims;
  return kindOf(claims);
}
export function jsonLength(array) { return array.length; }
export function jsonKeys(object) { return Object.keys(object); }
export function jsonValues(object, keys) {
  const values = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = object[keys[i]];
  return values;
}
export function jsonKey(keys, index) { return keys[index]; }
export function jsonParse(text) {
  try {
    slot = JSON.parse(text);
  } catch (_) {
    return 8;
  }
  return kindOf(slot);
}
export function jsonStringify(value) {
  const text = JSON.stringify(value);
  return typeof text === 'string' ? text : '';
}
")]
extern "C" {
    /// Puts `value` in the slot; its kind.
    #[wasm_bindgen(js_name = jsonRoot)]
    fn root(value: &JsValue) -> u32;
    /// Puts `object`'s own field `name` in the slot; its kind, [`ABSENT`] if none.
    #[wasm_bindgen(js_name = jsonField)]
    fn field(object: &JsValue, name: &str) -> u32;
    /// Puts `array[index]` in the slot; its kind.
    #[wasm_bindgen(js_name = jsonElement)]
    fn element(array: &JsValue, index: u32) -> u32;
    /// The slot's array or object.
    #[wasm_bindgen(js_name = jsonSlot)]
    fn slot() -> JsValue;
    /// The slot's number.
    #[wasm_bindgen(js_name = jsonSlot)]
    fn slot_number() -> f64;
    /// The slot's string.
    #[wasm_bindgen(js_name = jsonSlot)]
    fn slot_string() -> String;
    /// The payload of the slot's string, a JWT: the text between its first and
    /// second dots; `None` when it has no dot.
    #[wasm_bindgen(js_name = jsonJwtPayload)]
    fn slot_jwt_payload() -> Option<String>;
    /// Decodes the claims of the slot's string, a JWT, into the slot; their kind,
    /// [`NOT_JSON`] if it holds none.
    #[wasm_bindgen(js_name = jsonJwtClaims)]
    fn slot_jwt_claims() -> u32;
    /// Decodes the claims of `token`, a JWT, into the slot; their kind, [`NOT_JSON`]
    /// if it holds none.
    #[wasm_bindgen(js_name = jsonClaimsOf)]
    fn claims_of(token: &str) -> u32;
    #[wasm_bindgen(js_name = jsonLength)]
    fn length(array: &JsValue) -> u32;
    #[wasm_bindgen(js_name = jsonKeys)]
    fn keys(object: &JsValue) -> JsValue;
    /// The values of `keys` in `object`, in that order (the host's own order of a
    /// wrapped Go map may differ between two listings).
    #[wasm_bindgen(js_name = jsonValues)]
    fn values(object: &JsValue, keys: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = jsonKey)]
    fn key(keys: &JsValue, index: u32) -> String;
    /// Parses `text` (a JS string) into the slot; its kind, [`NOT_JSON`] if it is none.
    #[wasm_bindgen(js_name = jsonParse)]
    fn parse(text: &JsValue) -> u32;
    /// Parses `text` into the slot; its kind, [`NOT_JSON`] if it is none.
    #[wasm_bindgen(js_name = jsonParse)]
    fn parse_str(text: &str) -> u32;
    /// `value` as JSON text, written by the host (`""` for what JSON cannot hold).
    #[wasm_bindgen(js_name = jsonStringify)]
    pub(crate) fn stringify(value: &JsValue) -> String;
}

/// Kinds of values, as the host reports them (0 is `null`).
const FALSE: u32 = 1;
const TRUE: u32 = 2;
const NUMBER: u32 = 3;
const STRING: u32 = 4;
const ARRAY: u32 = 5;
const OBJECT: u32 = 6;
const ABSENT: u32 = 7;
const NOT_JSON: u32 = 8;

/// Reads `value`, a JSON value the host holds, as a `T`; on failure the error names
/// the field that did not fit, as [`from_str`](super::from_str) would for its text.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, JsonError> {
    T::deserialize(Slot(root(value))).map_err(Error::into_json_error)
}

/// Reads JSON `text` as a `T` with the host's `JSON.parse` and [`from_js`]: the text
/// crosses once, natively, and is never scanned by translated code.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    read_slot(parse_str(text))
}

/// Reads the value the last lookup left in the slot (of `kind`).
fn read_slot<T: DeserializeOwned>(kind: u32) -> Result<T, JsonError> {
    if kind == NOT_JSON {
        return Err(JsonError {
            path: ".".to_owned(),
            message: "not JSON".to_owned(),
        });
    }
    T::deserialize(Slot(kind)).map_err(Error::into_json_error)
}

/// The claims of `token`, a JWT, decoded by the host and read as a `T`; `None` when it
/// holds none (see [`JwtClaims`](super::JwtClaims)).
pub(crate) fn token_claims<T: DeserializeOwned>(token: &str) -> Result<Option<T>, JsonError> {
    match claims_of(token) {
        NOT_JSON => Ok(None),
        kind => read_slot(kind).map(Some),
    }
}

/// Reads `array[index]` (an array the host holds) as a `T`.
pub(crate) fn read_element<T: DeserializeOwned>(
    array: &JsValue,
    index: u32,
) -> Result<T, JsonError> {
    read_slot(element(array, index))
}

/// `array[index]` (an array the host holds), kept there.
pub(crate) fn element_handle(array: &JsValue, index: u32) -> JsValue {
    element(array, index);
    slot()
}

/// A JSON answer the host holds, as its text, its parsed value, or both; each crosses
/// only when asked for, and the text at most once.
#[derive(Clone)]
pub(crate) struct HostValue {
    /// The text, when the host gave it (a JS string, else `undefined`).
    text: JsValue,
    /// The parsed value, when the host gave it (else `undefined` or `null`).
    value: JsValue,
    text_read: std::cell::OnceCell<String>,
}

impl HostValue {
    /// An answer of `text` and/or `value`.
    pub(crate) fn new(text: JsValue, value: JsValue) -> Self {
        Self {
            text,
            value,
            text_read: std::cell::OnceCell::new(),
        }
    }

    /// The answer as text: the host's text, else its value written as JSON, else `""`.
    pub(crate) fn text(&self) -> &str {
        self.text_read.get_or_init(|| match self.text.as_string() {
            Some(text) => text,
            None if self.value.is_undefined() => String::new(),
            None => stringify(&self.value),
        })
    }

    /// Reads the answer as a `T`: the parsed value when the host gave one, else its
    /// text parsed by the host.
    pub(crate) fn read<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        if (self.value.is_null() || self.value.is_undefined()) && self.text.is_string() {
            read_slot(parse(&self.text))
        } else {
            from_js(&self.value)
        }
    }
}

/// A value in the host's slot, of the given kind, not fetched yet: reading it (anything
/// but [`IgnoredAny`](serde::de::IgnoredAny)) must come before the next lookup.
struct Slot(u32);

impl Slot {
    fn fetch(self) -> Value {
        match self.0 {
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => Value::Number(slot_number()),
            STRING => Value::String(slot_string()),
            ARRAY => Value::Array(slot()),
            OBJECT => Value::Object(slot()),
            _ => Value::Null,
        }
    }
}

/// A value fetched from the host; arrays and objects stay there.
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(JsValue),
    Object(JsValue),
}

impl Value {
    /// What serde calls this value in an "invalid type" message.
    fn unexpected(&self) -> Unexpected<'static> {
        match self {
            Value::Null => Unexpected::Unit,
            Value::Bool(value) => Unexpected::Bool(*value),
            Value::Number(n) if n.fract() == 0.0 => Unexpected::Unsigned(0),
            Value::Number(_) => Unexpected::Float(0.0),
            Value::String(_) => Unexpected::Str(""),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        }
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(value) => visitor.visit_bool(value),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(text) => visitor.visit_string(text),
            Value::Array(array) => visitor.visit_seq(Elements::new(array)),
            Value::Object(object) => visitor.visit_map(Entries::new(&object)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(value),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Structs come from objects only, as [`from_str`](super::from_str) reads them,
    /// field by field.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::Object(object) => visitor.visit_map(Fields {
                object,
                names: fields,
                next: 0,
                found: None,
            }),
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::String(name) => visitor.visit_enum(Variant { name, value: None }),
            Value::Object(object) => {
                let entries = Entries::new(&object);
                if entries.len != 1 {
                    return Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"a map of one key",
                    ));
                }
                let name = key(&entries.keys, 0);
                let value = Slot(element(&entries.values, 0)).fetch();
                visitor.visit_enum(Variant {
                    name,
                    value: Some(value),
                })
            }
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

macro_rules! fetch_then {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.fetch().$method(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Slot {
    type Error = Error;

    fetch_then! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.fetch().deserialize_unit_struct(name, visitor)
    }

    /// [`IsString`](super::IsString), [`JwtPayload`](super::JwtPayload) and
    /// [`JwtClaims`](super::JwtClaims) are answered here, without fetching the string
    /// (or with the payload, or the claims decoded by the host, only).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match name {
            super::IS_STRING => visitor.visit_bool(self.0 == STRING),
            super::JWT_PAYLOAD => match (self.0 == STRING).then(slot_jwt_payload).flatten() {
                Some(payload) => visitor.visit_string(payload),
                None => visitor.visit_none(),
            },
            super::JWT_CLAIMS => match (self.0 == STRING).then(slot_jwt_claims) {
                Some(kind) if kind != NOT_JSON => visitor.visit_some(Slot(kind)),
                _ => visitor.visit_none(),
            },
            _ => self.fetch().deserialize_newtype_struct(name, visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.fetch().deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.fetch().deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.fetch().deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.fetch().deserialize_enum(name, variants, visitor)
    }

    /// A skipped value never crosses from the host.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// Numbers the way serde_json visits them: integers as `u64`/`i64`, the rest as `f64`.
fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, Error> {
    const TWO_TO_THE_63: f64 = 9_223_372_036_854_775_808.0;
    if n.fract() != 0.0 || !(-TWO_TO_THE_63..2.0 * TWO_TO_THE_63).contains(&n) {
        visitor.visit_f64(n)
    } else if n >= 0.0 {
        visitor.visit_u64(n as u64)
    } else {
        visitor.visit_i64(n as i64)
    }
}

/// A struct's fields, looked up by name in the host's object.
struct Fields {
    object: JsValue,
    names: &'static [&'static str],
    next: usize,
    /// The field found last: its name and kind, its value in the slot.
    found: Option<(&'static str, u32)>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let Some(&name) = self.names.get(self.next) {
            self.next += 1;
            let kind = field(&self.object, name);
            if kind != ABSENT {
                self.found = Some((name, kind));
                let key = de::value::BorrowedStrDeserializer::<Error>::new(name);
                return seed
                    .deserialize(key)
                    .map(Some)
                    .map_err(|err| err.at(Segment::Key(name.to_owned())));
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (name, kind) = self
            .found
            .take()
            .ok_or_else(|| de::Error::custom("a value was read before its key"))?;
        seed.deserialize(Slot(kind))
            .map_err(|err| err.at(Segment::Key(name.to_owned())))
    }
}

/// An array's elements, read one by one.
struct Elements {
    array: JsValue,
    len: u32,
    index: u32,
}

impl Elements {
    fn new(array: JsValue) -> Self {
        let len = length(&array);
        Self {
            array,
            len,
            index: 0,
        }
    }
}

impl<'de> SeqAccess<'de> for Elements {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.index == self.len {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        seed.deserialize(Slot(element(&self.array, index)))
            .map(Some)
            .map_err(|err| err.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.index) as usize)
    }
}

/// An object's keys and values, read one by one, for maps and for visitors that read
/// any value; a value is fetched only when the visitor reads it.
struct Entries {
    keys: JsValue,
    values: JsValue,
    len: u32,
    index: u32,
    /// The key of the value to read next, for its errors.
    key: String,
}

impl Entries {
    fn new(object: &JsValue) -> Self {
        let keys = keys(object);
        let len = length(&keys);
        Self {
            values: values(object, &keys),
            keys,
            len,
            index: 0,
            key: String::new(),
        }
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.index == self.len {
            return Ok(None);
        }
        self.key = key(&self.keys, self.index);
        let key = de::value::StrDeserializer::<Error>::new(&self.key);
        seed.deserialize(key)
            .map(Some)
            .map_err(|err| err.at(Segment::Key(self.key.clone())))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let index = self.index;
        self.index += 1;
        seed.deserialize(Slot(element(&self.values, index)))
            .map_err(|err| err.at(Segment::Key(std::mem::take(&mut self.key))))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.index) as usize)
    }
}

/// An enum's variant: its name, and its value when it came as `{name: value}`.
struct Variant {
    name: String,
    value: Option<Value>,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Self;

    /// An unknown name is named where [`from_str`](super::from_str) names it: at the
    /// enum for `"name"`, at the key for `{"name": value}`.
    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Error> {
        let name = de::value::StrDeserializer::<Error>::new(&self.name);
        match seed.deserialize(name) {
            Ok(variant) => Ok((variant, self)),
            Err(err) if self.value.is_some() => Err(err.at(Segment::Key(self.name))),
            Err(err) => Err(err),
        }
    }
}

impl<'de> VariantAccess<'de> for Variant {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(value) => {
                Err(Error::invalid_type_of(&value, &"unit variant").at(Segment::Key(self.name)))
            }
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let value = self
            .value
            .ok_or_else(|| de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant"));
        value
            .and_then(|value| seed.deserialize(value))
            .map_err(|err| err.at(Segment::Key(self.name)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .ok_or_else(|| de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant"));
        value
            .and_then(|value| de::Deserializer::deserialize_seq(value, visitor))
            .map_err(|err| err.at(Segment::Key(self.name)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let value = self
            .value
            .ok_or_else(|| de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant"));
        value
            .and_then(|value| de::Deserializer::deserialize_struct(value, "", fields, visitor))
            .map_err(|err| err.at(Segment::Key(self.name)))
    }
}

/// A step of a JSON path.
#[derive(Debug)]
enum Segment {
    Key(String),
    Index(u32),
}

/// A failure while reading, with the path of the offending value collected on the way
/// out (innermost step first).
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    path: Vec<Segment>,
}

impl Error {
    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn invalid_type_of(value: &Value, expected: &dyn Expected) -> Self {
        de::Error::invalid_type(value.unexpected(), expected)
    }

    /// The error with its path written as [`from_str`](super::from_str) writes it.
    fn into_json_error(self) -> JsonError {
        let mut path = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        JsonError {
            path,
            message: without_value(&self.message),
        }
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            path: Vec::new(),
        }
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {expected}",
            Kind(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {expected}",
            Kind(&unexpected)
        ))
    }

    /// Named at the field itself, as [`from_str`](super::from_str) names it.
    fn missing_field(field: &'static str) -> Self {
        Self::custom("missing field").at(Segment::Key(field.to_owned()))
    }
}

/// The kind of value serde_json names in its messages, without the value.
struct Kind<'a>(&'a Unexpected<'a>);

impl Display for Kind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Unexpected::Bool(_) => "boolean",
            Unexpected::Unsigned(_) | Unexpected::Signed(_) => "integer",
            Unexpected::Float(_) => "floating point",
            Unexpected::Char(_) => "character",
            Unexpected::Str(_) => "string",
            Unexpected::Bytes(_) => "byte array",
            Unexpected::Unit => "null",
            Unexpected::Option => "Option value",
            Unexpected::NewtypeStruct => "newtype struct",
            Unexpected::Seq => "sequence",
            Unexpected::Map => "map",
            Unexpected::Enum => "enum",
            Unexpected::UnitVariant => "unit variant",
            Unexpected::NewtypeVariant => "newtype variant",
            Unexpected::TupleVariant => "tuple variant",
            Unexpected::StructVariant => "struct variant",
            Unexpected::Other(other) => other,
        })
    }
}
