//! The messages exchanged with the generated shim's binding adapters.
//!
//! Requests cross the Rust/JS boundary as one string per binding call, which the shim
//! takes apart with the host's native string and `JSON` functions, but for Management
//! API calls, whose parameters are a value built in the host (`json::to_js`).
//! Fetch bodies travel as text: JSON is serialized and forms are URL-encoded here, so
//! no host needs `URLSearchParams` (the `url` binding).
//!
//! Every message is written from typed structs. The answers of the calls workflows
//! make most stay with the host until the workflow reads them: a fetch answer is the
//! shim's array `[status, headers, text, json]` and a Management API answer the value
//! the API returned, both read field by field with [`json::from_js`](crate::json)
//! on wasm32 (see `decode_fetch`); an environment variable comes as a flag and its
//! value ([`decode_env`]). The rarer answers (claims read back, localization) are
//! JSON text read into `Value`.

use serde::{Serialize, Serializer};
use serde_json::Value;

#[cfg(doc)]
use crate::host::ApiRequest;
#[cfg(target_arch = "wasm32")]
use crate::host::FetchResponse;
use crate::host::{Body, Claims, EnvVar, FetchRequest, Method};
use crate::M2mTokenRequest;

/// Encodes a fetch request for the shim's `kindeFetch`/`kindeSecureFetch` adapters: a
/// head, then, when there is a body, a line break and the body text as is (not escaped
/// into JSON only to be parsed back out: in goja, escaping is a loop over every byte).
///
/// The head is the URL, the method and each header's name and value, separated by NUL
/// characters, which neither a URL nor an HTTP header may contain: copied, not
/// escaped. A head with a NUL or a line break in it anyway (or a URL opening with `[`)
/// is written as JSON, `[url, method, {name: value}]`, so the host sees exactly what the
/// workflow asked for and rejects it there. A repeated header name keeps its last value.
pub fn encode_fetch(request: &FetchRequest) -> String {
    let plain = !request.url.starts_with('[')
        && fits_plain_head(&request.url)
        && request
            .headers
            .iter()
            .all(|(name, value)| fits_plain_head(name) && fits_plain_head(value));
    let mut encoded = if plain {
        let mut head = String::with_capacity(
            request.url.len()
                + 8
                + request
                    .headers
                    .iter()
                    .map(|(name, value)| name.len() + value.len() + 2)
                    .sum::<usize>(),
        );
        head.push_str(&request.url);
        head.push('\0');
        head.push_str(request.method.as_str());
        for (name, value) in &request.headers {
            head.push('\0');
            head.push_str(name);
            head.push('\0');
            head.push_str(value);
        }
        head
    } else {
        json_head(request)
    };
    match &request.body {
        Body::None => {}
        Body::Text(text) | Body::Json(text) => {
            encoded.push('\n');
            encoded.push_str(text);
        }
        Body::Form(fields) => {
            encoded.push('\n');
            let start = encoded.len();
            form_urlencoded::Serializer::for_suffix(&mut encoded, start)
                .extend_pairs(fields)
                .finish();
        }
    }
    encoded
}

/// Whether `field` can go into a plain head: no NUL, no line break. (`contains` on
/// bytes is `memchr`, a word at a time: a loop over every byte would cost what
/// escaping does.)
fn fits_plain_head(field: &str) -> bool {
    let bytes = field.as_bytes();
    !bytes.contains(&0) && !bytes.contains(&b'\n')
}

/// The head `[url, method, {name: value}]` as JSON, for requests whose fields hold
/// what the plain head cannot.
#[cold]
fn json_head(request: &FetchRequest) -> String {
    struct Headers<'a>(&'a [(String, String)]);
    impl Serialize for Headers<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            // Written in order; the shim's `JSON.parse` keeps a repeated name's last value.
            serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
        }
    }
    let head = (
        request.url.as_str(),
        request.method.as_str(),
        Headers(&request.headers),
    );
    serde_json::to_string(&head).expect("strings and a map of strings always serialize")
}

/// Decodes the shim's answer to a fetch, `[status, headers, text, json]`: `status` a
/// number or `null`, `headers` `null` or a list of `[name, value]` pairs, `text` the
/// body as the host gave it (or `undefined`), `json` the body the host parsed (or
/// `undefined`). The body stays with the host until the workflow reads it.
#[cfg(target_arch = "wasm32")]
pub fn decode_fetch(answer: &wasm_bindgen::JsValue) -> Result<FetchResponse, String> {
    use crate::json::{element_handle, read_element, HostValue};
    if !js_sys::Array::is_array(answer) {
        return Err("adapter did not return [status, headers, text, json]".to_owned());
    }
    let status = read_element::<Option<u16>>(answer, 0)
        .map_err(|e| format!("unreadable fetch status: {e}"))?;
    let headers = read_element::<Option<Vec<(String, String)>>>(answer, 1)
        .map_err(|e| format!("unreadable fetch headers: {e}"))?;
    let body = HostValue::new(element_handle(answer, 2), element_handle(answer, 3));
    Ok(FetchResponse::held(status, headers, body))
}

/// Decodes the shim's answer to `kindeEnv`: `-` when the variable is not set, `?` when
/// its value is not a string, else `0` (plain) or `1` (secret) followed by the value.
pub fn decode_env(answer: &str) -> Result<Option<EnvVar>, String> {
    match answer.split_at_checked(1) {
        Some(("-", "")) => Ok(None),
        Some(("0", value)) => Ok(Some(EnvVar::new(value.to_owned(), false))),
        Some(("1", value)) => Ok(Some(EnvVar::new(value.to_owned(), true))),
        Some(("?", "")) => Err("env value is not a string".to_owned()),
        _ => Err("unreadable env result".to_owned()),
    }
}

/// The name of the `createKindeAPI` client's method for `method` (the shim's
/// `kindeManagementApi` adapter takes it with the endpoint and the parameters, which
/// cross as the value the host holds: see [`ApiRequest::params_json`]).
pub const fn api_method(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Patch => "patch",
        Method::Delete => "delete",
    }
}

/// Decodes the shim's answer to `kinde*TokenClaims`: a JSON object, or `null` for none.
pub fn decode_claims(answer: &str) -> Result<Claims, String> {
    match serde_json::from_str(answer) {
        Ok(Value::Object(claims)) => Ok(claims),
        Ok(Value::Null) => Ok(Claims::new()),
        Ok(_) => Err("custom claims are not an object".to_owned()),
        Err(e) => Err(format!("unreadable custom claims: {e}")),
    }
}

/// Decodes the shim's answer to `kindeLocalization`: a JSON string, or `null`.
pub fn decode_localization(answer: &str) -> Result<Option<String>, String> {
    match serde_json::from_str(answer) {
        Ok(Value::String(text)) => Ok(Some(text)),
        Ok(Value::Null) => Ok(None),
        Ok(_) => Err("localization value is not a string".to_owned()),
        Err(e) => Err(format!("unreadable localization result: {e}")),
    }
}

/// Encodes an M2M token request for the shim's `kindeM2mToken` adapter. The message
/// holds the client secret: it goes to the shim and nowhere else.
pub fn encode_m2m_token(request: &M2mTokenRequest) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Call<'a> {
        cache_key: &'a str,
        domain: &'a str,
        client_id: &'a str,
        client_secret: &'a str,
        audience: &'a [String],
        scopes: &'a [String],
        skip_cache: bool,
    }
    serde_json::to_string(&Call {
        cache_key: &request.cache_key,
        domain: &request.domain,
        client_id: &request.client_id,
        client_secret: request.client_secret.expose(),
        audience: &request.audience,
        scopes: &request.scopes,
        skip_cache: request.skip_cache,
    })
    .expect("strings, lists of strings and a flag always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Method;
    use serde_json::json;

    /// The head (as `[url, method, {name: value}]`) and the body of an encoded request,
    /// read as the shim reads them.
    fn split(encoded: &str) -> (Value, Option<&str>) {
        let (head, body) = match encoded.split_once('\n') {
            Some((head, body)) => (head, Some(body)),
            None => (encoded, None),
        };
        if head.starts_with('[') {
            return (serde_json::from_str(head).unwrap(), body);
        }
        let fields: Vec<&str> = head.split('\0').collect();
        let mut headers = serde_json::Map::new();
        for pair in fields[2..].chunks(2) {
            headers.insert(pair[0].to_owned(), Value::from(pair[1]));
        }
        (json!([fields[0], fields[1], headers]), body)
    }

    #[test]
    fn fetch_request_encodes_every_body_kind() {
        let form = FetchRequest::post("https://a.example/t").form([("a", "1 2"), ("b", "x&y=z")]);
        assert_eq!(
            split(&encode_fetch(&form)),
            (
                json!(["https://a.example/t", "POST",
                       {"Content-Type": "application/x-www-form-urlencoded"}]),
                Some("a=1+2&b=x%26y%3Dz")
            )
        );
        let text = FetchRequest::new(Method::Put, "u").text("line 1\nline 2");
        assert_eq!(split(&encode_fetch(&text)).1, Some("line 1\nline 2"));
        let json_body = FetchRequest::post("u")
            .json(&json!({"k": ["a\"b"]}))
            .unwrap();
        assert_eq!(
            split(&encode_fetch(&json_body)).1,
            Some(r#"{"k":["a\"b"]}"#)
        );
        assert_eq!(
            split(&encode_fetch(&FetchRequest::post("u").text(""))).1,
            Some("")
        );
        assert_eq!(split(&encode_fetch(&FetchRequest::get("u"))).1, None);
    }

    #[test]
    fn fetch_request_heads_are_copied_unless_they_hold_what_a_plain_head_cannot() {
        let request =
            FetchRequest::post("https://a.example/?q=\"x\"").header("Authorization", "AWS4 a=\\b");
        let encoded = encode_fetch(&request);
        assert_eq!(
            encoded,
            "https://a.example/?q=\"x\"\0POST\0Authorization\0AWS4 a=\\b"
        );
        for odd in [
            FetchRequest::get("https://a.example/?q=1\n2").header("x-a", "b"),
            FetchRequest::get("https://a.example/").header("x-a", "b\nc"),
            FetchRequest::get("https://a.example/").header("x\0a", "b"),
            FetchRequest::get("[::1]"),
        ] {
            let encoded = encode_fetch(&odd);
            assert!(
                !encoded.contains('\n') && encoded.starts_with('['),
                "{encoded:?}"
            );
            let (head, body) = split(&encoded);
            let headers: serde_json::Map<String, Value> = odd
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), Value::from(v.as_str())))
                .collect();
            assert_eq!((head, body), (json!([odd.url, "GET", headers]), None));
        }
    }

    #[test]
    fn fetch_request_keeps_headers_in_order_and_the_last_repeat() {
        let request = FetchRequest::get("u")
            .header("b", "1")
            .header("a", "2")
            .header("b", "3");
        let encoded = encode_fetch(&request);
        assert_eq!(encoded, "u\0GET\0b\u{0}1\0a\u{0}2\0b\u{0}3");
        assert_eq!(split(&encoded).0, json!(["u", "GET", {"b": "3", "a": "2"}]));
        let odd = encode_fetch(&request.header("c", "\n"));
        assert!(
            odd.starts_with(r#"["u","GET",{"b":"1","a":"2","b":"3","c":"\n"}]"#),
            "{odd}"
        );
    }

    #[test]
    fn env_answer_decodes_missing_and_secret_values() {
        assert_eq!(decode_env("-").unwrap(), None);
        let var = decode_env("1s\n x").unwrap().unwrap();
        assert!(var.is_secret());
        assert_eq!(var.value(), "s\n x");
        let plain = decode_env("0").unwrap().unwrap();
        assert!(!plain.is_secret());
        assert_eq!(plain.value(), "");
        assert_eq!(decode_env("?").unwrap_err(), "env value is not a string");
        assert!(decode_env("").is_err());
        assert!(decode_env("x").is_err());
        assert!(decode_env("-x").is_err());
    }

    #[test]
    fn api_calls_use_the_clients_lower_case_method_names() {
        let names = [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .map(|method| (api_method(method), method.as_str().to_ascii_lowercase()));
        for (name, lower) in names {
            assert_eq!(name, lower);
        }
    }

    #[test]
    fn claims_answer_decodes_objects_and_null_only() {
        let claims = decode_claims(r#"{"plan":"pro","n":[1]}"#).unwrap();
        assert_eq!(claims["plan"], "pro");
        assert!(decode_claims("null").unwrap().is_empty());
        assert_eq!(
            decode_claims("[]").unwrap_err(),
            "custom claims are not an object"
        );
        assert!(decode_claims("{").unwrap_err().starts_with("unreadable"));
    }

    #[test]
    fn localization_answer_is_a_string_or_nothing() {
        assert_eq!(
            decode_localization(r#""Bonjour""#).unwrap().as_deref(),
            Some("Bonjour")
        );
        assert_eq!(decode_localization("null").unwrap(), None);
        assert!(decode_localization("3").is_err());
    }

    #[test]
    fn m2m_token_request_carries_every_field() {
        let request = M2mTokenRequest::new("https://k.example", "cid", "sec".into())
            .audience("https://k.example/api")
            .scope("read:users")
            .skip_cache();
        let encoded: Value = serde_json::from_str(&encode_m2m_token(&request)).unwrap();
        assert_eq!(
            encoded,
            json!({"cacheKey":"m2m:cid","domain":"https://k.example","clientId":"cid",
                   "clientSecret":"sec","audience":["https://k.example/api"],
                   "scopes":["read:users"],"skipCache":true})
        );
    }
}
