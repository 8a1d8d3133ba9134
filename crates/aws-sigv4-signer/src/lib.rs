//! AWS Signature Version 4 for request headers, small enough for a WebAssembly
//! workflow.
//!
//! It signs one request with `Authorization`, `X-Amz-Date` and, for temporary
//! credentials, `X-Amz-Security-Token` headers. It passes every header-signing case of
//! the official SigV4 test suite (`tests/aws-sigv4-test-suite`). Query-string
//! (presigned URL) signing, S3's single-encoded paths and chunked bodies are out of
//! scope.
//!
//! The AWS-maintained `aws-sigv4` crate builds for `wasm32-unknown-unknown`, but a
//! minimal signing module built with it measured 163 615 bytes of optimized WASM
//! against 22 092 bytes for the same module on this crate's dependencies (RustCrypto
//! `sha2` and `hmac`): too much for a workflow whose JavaScript must stay small.
//!
//! ```
//! use aws_sigv4_signer::{sign, AmzDate, Credentials, Options, Request};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let request = Request {
//!     method: "GET",
//!     path: "/",
//!     query: "",
//!     headers: &[("Host", "example.amazonaws.com")],
//!     body: b"",
//! };
//! let time = AmzDate::parse("20150830T123600Z").unwrap();
//! let signed = sign(&request, &credentials, "us-east-1", "service", time, Options::default());
//! assert_eq!(
//!     signed.signature,
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! assert_eq!(signed.headers[0], ("X-Amz-Date", "20150830T123600Z".to_owned()));
//! ```

#![warn(missing_docs)]

mod canonical;
mod credentials;
mod time;

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub use credentials::Credentials;
pub use time::{AmzDate, InvalidAmzDate};

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The request to sign, as it will be sent.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The URL path as sent (it is encoded again for the canonical request).
    pub path: &'a str,
    /// The raw query string without `?`; empty when there is none.
    pub query: &'a str,
    /// Every header that will be sent and signed; it must include `Host`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Choices the test suite exercises; the defaults suit AWS JSON services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Resolve `.`/`..` and drop empty path segments (every service but S3).
    pub normalize_path: bool,
    /// Add and sign `X-Amz-Content-Sha256` (S3 and a few others require it).
    pub sign_body_hash: bool,
    /// Sign `X-Amz-Security-Token`; when false it is sent but left out of the
    /// signature, as a few services expect.
    pub sign_session_token: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            normalize_path: true,
            sign_body_hash: false,
            sign_session_token: true,
        }
    }
}

/// A signed request: the headers to add, and the intermediate texts for checking.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Headers to send in addition to the request's own, in this order:
    /// `X-Amz-Security-Token` (with a session token), `X-Amz-Date`,
    /// `X-Amz-Content-Sha256` (when asked for), `Authorization`.
    pub headers: Vec<(&'static str, String)>,
    /// Hex-encoded signature.
    pub signature: String,
    /// The canonical request that was hashed (holds the session token, if any).
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
}

impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Signed")
            .field("headers", &names)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Signs `request` for `service` in `region` at `time`.
pub fn sign(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: AmzDate,
    options: Options,
) -> Signed {
    let body_hash = hex(&Sha256::digest(request.body));
    let token = credentials.session_token();

    let mut added: Vec<(&'static str, String)> = Vec::with_capacity(4);
    if let Some(token) = token {
        added.push(("X-Amz-Security-Token", token.to_owned()));
    }
    added.push(("X-Amz-Date", time.as_str().to_owned()));
    if options.sign_body_hash {
        added.push(("X-Amz-Content-Sha256", body_hash.clone()));
    }

    let signed_added = added
        .iter()
        .filter(|(name, _)| options.sign_session_token || *name != "X-Amz-Security-Token")
        .map(|(name, value)| (*name, value.as_str()));
    let (canonical_headers, signed_headers) =
        canonical::headers(request.headers.iter().copied().chain(signed_added));

    let canonical_request = join_lines(&[
        request.method,
        &canonical::uri(request.path, options.normalize_path),
        &canonical::query(request.query),
        &canonical_headers,
        &signed_headers,
        &body_hash,
    ]);
    let scope = join(&[time.date(), region, service, "aws4_request"], '/');
    let string_to_sign = join_lines(&[
        ALGORITHM,
        time.as_str(),
        &scope,
        &hex(&Sha256::digest(canonical_request.as_bytes())),
    ]);

    let mut key = Vec::with_capacity(4 + credentials.secret_access_key().len());
    key.extend_from_slice(b"AWS4");
    key.extend_from_slice(credentials.secret_access_key().as_bytes());
    let mut signing_key = hmac_sha256(&key, time.date().as_bytes());
    for part in [region, service, "aws4_request"] {
        signing_key = hmac_sha256(&signing_key, part.as_bytes());
    }
    let signature = hex(&hmac_sha256(&signing_key, string_to_sign.as_bytes()));

    let mut authorization = String::with_capacity(160);
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(credentials.access_key_id());
    authorization.push('/');
    authorization.push_str(&scope);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    authorization.push_str(&signature);
    added.push(("Authorization", authorization));

    Signed {
        headers: added,
        signature,
        canonical_request,
        string_to_sign,
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    // Digits written as bytes: translated to JavaScript, each `String::push` of a
    // `char` is a UTF-8 encoder and a capacity check interpreted by goja.
    let mut out = vec![0; bytes.len() * 2];
    for (digits, byte) in out.chunks_exact_mut(2).zip(bytes) {
        digits[0] = HEX_LOWER[usize::from(byte >> 4)];
        digits[1] = HEX_LOWER[usize::from(byte & 15)];
    }
    String::from_utf8(out).unwrap_or_default()
}

fn join(parts: &[&str], separator: char) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(part);
    }
    out
}

/// Joins with `\n`. The canonical headers already end in `\n`, which yields the blank
/// line SigV4 puts after them.
fn join_lines(parts: &[&str]) -> String {
    join(parts, '\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_session_token() {
        let credentials = Credentials::new("AKID", "SECRETKEY", Some("TOKENVALUE".into()));
        let request = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &[("Host", "h")],
            body: b"{}",
        };
        let signed = sign(
            &request,
            &credentials,
            "r",
            "s",
            AmzDate::from_unix_seconds(0),
            Options::default(),
        );
        let shown = format!("{signed:?} {request:?} {credentials:?}");
        assert!(
            !shown.contains("TOKENVALUE") && !shown.contains("SECRETKEY"),
            "{shown}"
        );
        assert!(signed
            .canonical_request
            .contains("x-amz-security-token:TOKENVALUE\n"));
    }
}
