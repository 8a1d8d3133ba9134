//! The legacy side of `kinde.secureFetch`: decrypt the request bodies Kinde sends.
//!
//! Kinde encrypts a `secureFetch` body with the workflow's active encryption key:
//! AES-256-GCM, a random 12-byte nonce, and the body sent as Base64 of
//! **nonce (12 bytes) ‖ tag (16 bytes) ‖ ciphertext**. The key is shown once in the
//! dashboard as Base64 of 32 bytes. Kinde's documentation says both "Base64" and
//! "Base64URL", so both alphabets are accepted, with or without padding.
//!
//! ```
//! use kinde_secure_fetch::{decrypt, encrypt, Key};
//!
//! let key = Key::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
//! let body = encrypt(&key, [7; 12], br#"{"email":"ada@example.com"}"#);
//! assert_eq!(decrypt(&key, &body).unwrap(), br#"{"email":"ada@example.com"}"#);
//! ```
//!
//! The `kinde-secure-fetch` binary does the same from a shell:
//! `kinde-secure-fetch decrypt --key-env VAR < body` prints the plaintext.

#![warn(missing_docs)]

use std::fmt;

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// Bytes of the GCM nonce at the start of a body.
pub const NONCE_LEN: usize = 12;
/// Bytes of the GCM tag after the nonce.
pub const TAG_LEN: usize = 16;
/// Bytes of an AES-256 key.
pub const KEY_LEN: usize = 32;

/// Why a key or body was refused. Messages never contain key material or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The key is not Base64.
    #[error("the key is not Base64 (standard or URL-safe alphabet)")]
    KeyNotBase64,
    /// The key decodes to the wrong number of bytes.
    #[error("the key decodes to {0} bytes; AES-256-GCM needs 32")]
    KeyLength(usize),
    /// The body is not Base64.
    #[error("the body is not Base64 (standard or URL-safe alphabet)")]
    BodyNotBase64,
    /// The body is shorter than a nonce and a tag.
    #[error("the body decodes to {0} bytes; it needs at least 28 (12-byte nonce and 16-byte tag)")]
    BodyTooShort(usize),
    /// The tag does not match: wrong key, or the body was altered.
    #[error("the body failed authentication: wrong key, or it was altered")]
    Authentication,
}

/// An AES-256-GCM key. `Debug` prints `Key([redacted])`.
#[derive(Clone)]
pub struct Key(Aes256Gcm);

impl Key {
    /// The key from its 32 raw bytes.
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Self {
        Self(Aes256Gcm::new(bytes.into()))
    }

    /// The key as the dashboard shows it: Base64 (either alphabet) of 32 bytes.
    /// Surrounding whitespace is ignored.
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        let bytes = decode_base64(text).ok_or(Error::KeyNotBase64)?;
        let bytes: [u8; KEY_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::KeyLength(bytes.len()))?;
        Ok(Self::from_bytes(&bytes))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key([redacted])")
    }
}

/// Decrypts a `secureFetch` body (Base64 text, either alphabet, whitespace around it
/// ignored) and returns the plaintext bytes.
pub fn decrypt(key: &Key, body: &str) -> Result<Vec<u8>, Error> {
    let bytes = decode_base64(body).ok_or(Error::BodyNotBase64)?;
    if bytes.len() < NONCE_LEN + TAG_LEN {
        return Err(Error::BodyTooShort(bytes.len()));
    }
    let (nonce, rest) = bytes.split_at(NONCE_LEN);
    let (tag, ciphertext) = rest.split_at(TAG_LEN);
    let mut plaintext = ciphertext.to_vec();
    key.0
        .decrypt_in_place_detached(
            Nonce::from_slice(nonce),
            b"",
            &mut plaintext,
            Tag::from_slice(tag),
        )
        .map_err(|_| Error::Authentication)?;
    Ok(plaintext)
}

/// Encrypts `plaintext` as Kinde does, with the given nonce, and returns the body as
/// standard padded Base64. Each nonce must be used once per key: callers outside
/// tests should draw it from a CSPRNG.
pub fn encrypt(key: &Key, nonce: [u8; NONCE_LEN], plaintext: &[u8]) -> String {
    let mut ciphertext = plaintext.to_vec();
    // Encryption fails only for plaintexts beyond GCM's 64 GiB limit.
    let tag = key
        .0
        .encrypt_in_place_detached(Nonce::from_slice(&nonce), b"", &mut ciphertext)
        .unwrap_or_else(|_| {
            panic!(
                "plaintext of {} bytes exceeds AES-GCM's limit",
                plaintext.len()
            )
        });
    let mut body = Vec::with_capacity(NONCE_LEN + TAG_LEN + ciphertext.len());
    body.extend_from_slice(&nonce);
    body.extend_from_slice(&tag);
    body.extend_from_slice(&ciphertext);
    base64::engine::general_purpose::STANDARD.encode(body)
}

/// Decodes standard or URL-safe Base64, padded or not.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);
    let text = text.trim();
    STANDARD
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .ok()
}
