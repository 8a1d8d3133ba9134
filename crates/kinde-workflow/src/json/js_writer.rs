//! Writes values as JS values the host holds (wasm32 only): Management API parameters,
//! which `createKindeAPI` hands to `kinde.fetch` as the body, and the workflow's
//! result, which `Workflow` resolves with.
//!
//! Written as text first, every string would be escaped byte by byte by translated
//! code and the text parsed again by the host. This builds the objects, arrays and
//! scalars in the host directly, one call per value, and gives what `JSON.parse`
//! gives for serde_json's text: integers as the nearest number, map keys written as
//! serde_json writes them (numbers by `itoa` and `zmij`, as serde_json does), the
//! same errors.

use std::fmt::Display;

use serde::ser::{self, Impossible, Serialize};
use wasm_bindgen::prelude::*;

use super::JsonError;

#[wasm_bindgen(inline_js = "
export function jsonObject() { return {}; }
export function jsonArray() { return []; }
export function jsonSet(object, key, value) {
  // As JSON.parse makes it: an own property, not the prototype's setter.
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
export function jsonPush(array, value) { array.push(value); }
export function jsonNumber(text) { return Number(text); }
")]
extern "C" {
    #[wasm_bindgen(js_name = jsonObject)]
    fn new_object() -> JsValue;
    #[wasm_bindgen(js_name = jsonArray)]
    fn new_array() -> JsValue;
    /// `object[key] = value` for a key Rust holds.
    #[wasm_bindgen(js_name = jsonSet)]
    fn set(object: &JsValue, key: &str, value: JsValue);
    /// `object[key] = value` for a key the host holds (a map's, already written).
    #[wasm_bindgen(js_name = jsonSet)]
    fn set_key(object: &JsValue, key: JsValue, value: JsValue);
    #[wasm_bindgen(js_name = jsonPush)]
    fn push(array: &JsValue, value: JsValue);
    /// The number a decimal's text denotes.
    #[wasm_bindgen(js_name = jsonNumber)]
    fn number(text: &str) -> JsValue;
}

/// Writes `value` as a JS value the host holds: the value `JSON.parse` gives for
/// [`to_string`](super::to_string)'s text (objects for structs and maps, `null` for
/// `None`, unit and non-finite numbers), built without writing any text. Fails where
/// `to_string` fails, with its message.
///
/// serde_json's `raw_value` and `arbitrary_precision` features are not supported:
/// `RawValue` and such a `Number` are written as the structs serde_json uses inside.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsonError> {
    value
        .serialize(Writer)
        .map_err(|Unwritable(message)| JsonError {
            path: ".".to_owned(),
            message: super::unwritable_message(&super::strip_position(&message)),
        })
}

/// Why a value cannot be written: serde_json's message for it.
#[derive(Debug)]
struct Unwritable(String);

impl Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: Display>(message: T) -> Self {
        Unwritable(message.to_string())
    }
}

/// Builds one value in the host.
struct Writer;

/// `{variant: value}`, as serde_json writes an enum's non-unit variant.
fn tagged(variant: &str, value: JsValue) -> JsValue {
    let object = new_object();
    set(&object, variant, value);
    object
}

/// Integers as numbers: beyond 2^53 the nearest one, as `JSON.parse` reads the digits
/// serde_json writes.
macro_rules! integers {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, v: $ty) -> Result<JsValue, Unwritable> {
            Ok(JsValue::from_f64(v as f64))
        }
    )*};
}

impl ser::Serializer for Writer {
    type Ok = JsValue;
    type Error = Unwritable;
    type SerializeSeq = Elements;
    type SerializeTuple = Elements;
    type SerializeTupleStruct = Elements;
    type SerializeTupleVariant = Elements;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Entries;

    fn serialize_bool(self, v: bool) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_bool(v))
    }

    integers! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_u128(u128)
    }

    /// As the host reads the `f32`'s own shortest decimal, which serde_json writes (the
    /// widened `f64` need not be that number).
    fn serialize_f32(self, v: f32) -> Result<JsValue, Unwritable> {
        Ok(if v.is_finite() {
            number(zmij::Buffer::new().format_finite(v))
        } else {
            JsValue::NULL
        })
    }

    fn serialize_f64(self, v: f64) -> Result<JsValue, Unwritable> {
        Ok(if v.is_finite() {
            JsValue::from_f64(v)
        } else {
            JsValue::NULL
        })
    }

    fn serialize_char(self, v: char) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }

    fn serialize_str(self, v: &str) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<JsValue, Unwritable> {
        let array = new_array();
        for &byte in v {
            push(&array, JsValue::from_f64(byte.into()));
        }
        Ok(array)
    }

    fn serialize_none(self) -> Result<JsValue, Unwritable> {
        Ok(JsValue::NULL)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Unwritable> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<JsValue, Unwritable> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue, Unwritable> {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue, Unwritable> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsValue, Unwritable> {
        Ok(tagged(variant, value.serialize(self)?))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Elements, Unwritable> {
        Ok(Elements::new(None))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Elements, Unwritable> {
        Ok(Elements::new(None))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Elements, Unwritable> {
        Ok(Elements::new(None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Elements, Unwritable> {
        Ok(Elements::new(Some(variant)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Entries, Unwritable> {
        Ok(Entries::new(None))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Entries, Unwritable> {
        Ok(Entries::new(None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Entries, Unwritable> {
        Ok(Entries::new(Some(variant)))
    }
}

/// An array being built, and the variant it belongs to, if any.
struct Elements {
    array: JsValue,
    variant: Option<&'static str>,
}

impl Elements {
    fn new(variant: Option<&'static str>) -> Self {
        Self {
            array: new_array(),
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        push(&self.array, value.serialize(Writer)?);
        Ok(())
    }

    fn finish(self) -> Result<JsValue, Unwritable> {
        Ok(match self.variant {
            Some(variant) => tagged(variant, self.array),
            None => self.array,
        })
    }
}

/// The serde traits of sequences, tuples and their variants: each pushes an element.
macro_rules! elements {
    ($($serialize:ident::$method:ident),*) => {$(
        impl ser::$serialize for Elements {
            type Ok = JsValue;
            type Error = Unwritable;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
                self.push(value)
            }

            fn end(self) -> Result<JsValue, Unwritable> {
                self.finish()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being built, the variant it belongs to, if any, and a map's key
/// waiting for its value.
struct Entries {
    object: JsValue,
    variant: Option<&'static str>,
    key: Option<JsValue>,
}

impl Entries {
    fn new(variant: Option<&'static str>) -> Self {
        Self {
            object: new_object(),
            variant,
            key: None,
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unwritable> {
        set(&self.object, key, value.serialize(Writer)?);
        Ok(())
    }

    fn finish(self) -> Result<JsValue, Unwritable> {
        Ok(match self.variant {
            Some(variant) => tagged(variant, self.object),
            None => self.object,
        })
    }
}

impl ser::SerializeMap for Entries {
    type Ok = JsValue;
    type Error = Unwritable;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        self.key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value came before its key"))?;
        set_key(&self.object, key, value.serialize(Writer)?);
        Ok(())
    }

    fn end(self) -> Result<JsValue, Unwritable> {
        self.finish()
    }
}

/// The serde traits of structs and struct variants: each sets a field.
macro_rules! fields {
    ($($serialize:ident),*) => {$(
        impl ser::$serialize for Entries {
            type Ok = JsValue;
            type Error = Unwritable;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Unwritable> {
                self.field(key, value)
            }

            fn end(self) -> Result<JsValue, Unwritable> {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// Writes a map's key as serde_json does: strings as they are; booleans, integers and
/// finite floats as their text; anything else is refused as serde_json refuses it.
struct KeyWriter;

/// serde_json's message for a key it cannot write.
fn key_must_be_a_string() -> Unwritable {
    Unwritable("key must be a string".to_owned())
}

/// A key written as the decimal text of an integer.
fn integer_key(v: impl itoa::Integer) -> Result<JsValue, Unwritable> {
    Ok(JsValue::from_str(itoa::Buffer::new().format(v)))
}

/// A key written as the decimal text of a finite float.
fn float_key(v: impl zmij::Float, finite: bool) -> Result<JsValue, Unwritable> {
    if !finite {
        return Err(Unwritable(
            "float key must be finite (got NaN or +/-inf)".to_owned(),
        ));
    }
    Ok(JsValue::from_str(zmij::Buffer::new().format_finite(v)))
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*);)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<JsValue, Unwritable> {
            Err(key_must_be_a_string())
        }
    )*};
}

macro_rules! integer_keys {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method(self, v: $ty) -> Result<JsValue, Unwritable> {
            integer_key(v)
        }
    )*};
}

impl ser::Serializer for KeyWriter {
    type Ok = JsValue;
    type Error = Unwritable;
    type SerializeSeq = Impossible<JsValue, Unwritable>;
    type SerializeTuple = Impossible<JsValue, Unwritable>;
    type SerializeTupleStruct = Impossible<JsValue, Unwritable>;
    type SerializeTupleVariant = Impossible<JsValue, Unwritable>;
    type SerializeMap = Impossible<JsValue, Unwritable>;
    type SerializeStruct = Impossible<JsValue, Unwritable>;
    type SerializeStructVariant = Impossible<JsValue, Unwritable>;

    fn serialize_str(self, v: &str) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(v))
    }

    fn serialize_char(self, v: char) -> Result<JsValue, Unwritable> {
        Writer.serialize_char(v)
    }

    fn serialize_bool(self, v: bool) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(if v { "true" } else { "false" }))
    }

    integer_keys! {
        serialize_i8(i8); serialize_i16(i16); serialize_i32(i32); serialize_i64(i64);
        serialize_i128(i128); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_u128(u128);
    }

    fn serialize_f32(self, v: f32) -> Result<JsValue, Unwritable> {
        float_key(v, v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<JsValue, Unwritable> {
        float_key(v, v.is_finite())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue, Unwritable> {
        Ok(JsValue::from_str(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue, Unwritable> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Unwritable> {
        value.serialize(self)
    }

    refuse! {
        serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<JsValue, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(key_must_be_a_string())
    }
}
