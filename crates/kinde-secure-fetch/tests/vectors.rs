//! Round trips, a vector made independently, and tampering.

use kinde_secure_fetch::{decrypt, encrypt, Error, Key};

/// Key bytes 0..=31, Base64.
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const PLAINTEXT: &[u8] =
    br#"{"email":"ada@example.com","password":"correct horse battery staple"}"#;
/// Made with Python's `cryptography` (AESGCM, nonce bytes 100..=111), laid out as
/// nonce ‖ tag ‖ ciphertext and Base64-encoded:
/// `ct = AESGCM(key).encrypt(nonce, pt, None); b64encode(nonce + ct[-16:] + ct[:-16])`.
const VECTOR_STANDARD: &str = "ZGVmZ2hpamtsbW5v6IEGW3WddQpwBvJoknitPzM5uwsYgDq8BEA+jLslD4Ujr3Zm7kKQHcrzgGqLwtY744YypG4ouWeSgQpanjbqp3Qp64IAKCBcjpTer8/y0et44L4sqw==";
/// The same body in the URL-safe alphabet without padding.
const VECTOR_URL_SAFE: &str = "ZGVmZ2hpamtsbW5v6IEGW3WddQpwBvJoknitPzM5uwsYgDq8BEA-jLslD4Ujr3Zm7kKQHcrzgGqLwtY744YypG4ouWeSgQpanjbqp3Qp64IAKCBcjpTer8_y0et44L4sqw";

fn key() -> Key {
    Key::from_base64(KEY).unwrap()
}

fn nonce() -> [u8; 12] {
    std::array::from_fn(|i| 100 + i as u8)
}

#[test]
fn decrypts_an_independently_made_vector_in_both_alphabets() {
    assert_eq!(decrypt(&key(), VECTOR_STANDARD).unwrap(), PLAINTEXT);
    assert_eq!(decrypt(&key(), VECTOR_URL_SAFE).unwrap(), PLAINTEXT);
    assert_eq!(
        decrypt(&key(), &format!("{VECTOR_STANDARD}\n")).unwrap(),
        PLAINTEXT
    );
}

#[test]
fn encrypts_exactly_like_the_independent_implementation() {
    assert_eq!(encrypt(&key(), nonce(), PLAINTEXT), VECTOR_STANDARD);
}

#[test]
fn round_trips_every_length_around_the_block_size() {
    let key = Key::from_bytes(&[0x5a; 32]);
    for len in [0, 1, 15, 16, 17, 255, 4096] {
        let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let body = encrypt(&key, [len as u8; 12], &plaintext);
        assert_eq!(decrypt(&key, &body).unwrap(), plaintext, "length {len}");
    }
}

#[test]
fn any_altered_byte_or_wrong_key_fails_authentication() {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let original = engine.decode(VECTOR_STANDARD).unwrap();
    for index in [0, 11, 12, 27, 28, original.len() - 1] {
        let mut altered = original.clone();
        altered[index] ^= 0x01;
        let err = decrypt(&key(), &engine.encode(&altered)).unwrap_err();
        assert_eq!(err, Error::Authentication, "byte {index}");
    }
    let other = Key::from_bytes(&[1; 32]);
    assert_eq!(
        decrypt(&other, VECTOR_STANDARD).unwrap_err(),
        Error::Authentication
    );
}

#[test]
fn bad_keys_and_bodies_are_named() {
    assert_eq!(
        Key::from_base64("not base64!").unwrap_err(),
        Error::KeyNotBase64
    );
    assert_eq!(Key::from_base64("AAEC").unwrap_err(), Error::KeyLength(3));
    assert_eq!(decrypt(&key(), "%%%").unwrap_err(), Error::BodyNotBase64);
    assert_eq!(
        decrypt(&key(), "AAECAwQF").unwrap_err(),
        Error::BodyTooShort(6)
    );
    assert_eq!(
        Error::KeyLength(3).to_string(),
        "the key decodes to 3 bytes; AES-256-GCM needs 32"
    );
    assert_eq!(format!("{:?}", key()), "Key([redacted])");
}
