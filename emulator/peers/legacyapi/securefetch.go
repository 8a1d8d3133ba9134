package legacyapi

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Sizes of a kinde.secureFetch body's parts and key.
const (
	keyBytes   = 32
	nonceBytes = 12
	tagBytes   = 16
)

// ParseKey decodes a kinde.secureFetch key: standard Base64 of 32 bytes
// (AES-256). Errors never quote the key.
func ParseKey(encoded string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return nil, errors.New("secureFetch key is not standard Base64")
	}
	if len(key) != keyBytes {
		return nil, fmt.Errorf("secureFetch key must decode to %d bytes (AES-256), got %d", keyBytes, len(key))
	}
	return key, nil
}

// Decrypt opens a kinde.secureFetch body: standard Base64 (URL-safe and
// unpadded forms are accepted too, since Kinde's docs name Base64URL) of
// nonce(12) ‖ tag(16) ‖ ciphertext, sealed with AES-256-GCM under key.
func Decrypt(key []byte, body string) ([]byte, error) {
	raw, err := decodeBase64(strings.TrimSpace(body))
	if err != nil {
		return nil, errors.New("body is not Base64")
	}
	if len(raw) < nonceBytes+tagBytes {
		return nil, fmt.Errorf("body has %d bytes, fewer than nonce (%d) and tag (%d)", len(raw), nonceBytes, tagBytes)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secureFetch key: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce, tag, ciphertext := raw[:nonceBytes], raw[nonceBytes:nonceBytes+tagBytes], raw[nonceBytes+tagBytes:]
	// crypto/cipher wants ciphertext ‖ tag.
	sealed := make([]byte, 0, len(ciphertext)+len(tag))
	sealed = append(append(sealed, ciphertext...), tag...)
	plaintext, err := gcm.Open(nil, nonce, sealed, nil)
	if err != nil {
		return nil, errors.New("body does not open with the configured key (authentication failed)")
	}
	return plaintext, nil
}

// decodeBase64 accepts standard and URL-safe Base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			return raw, nil
		}
	}
	return nil, errors.New("not Base64")
}
