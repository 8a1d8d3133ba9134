package emulator

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
)

// secureFetchKeyBytes is the AES-256 key length.
const secureFetchKeyBytes = 32

// secureFetchBinding implements kinde.secureFetch(url, init): a POST whose
// body (an object as JSON text, a string as given, URLSearchParams
// form-encoded) is encrypted with the workflow's key and sent as standard
// Base64 of nonce(12) ‖ tag(16) ‖ ciphertext, Content-Type text/plain.
// The answer is handled as kinde.fetch handles it.
func secureFetchBinding(ctx context.Context, run *runState, args []any) (any, error) {
	req, err := parseFetchArgs("secureFetch", args)
	if err != nil {
		return nil, err
	}
	if req.method != http.MethodGet && req.method != http.MethodPost {
		return nil, fmt.Errorf("kinde.secureFetch: method must be POST, got %s", req.method)
	}
	req.method = http.MethodPost
	sealed, err := sealSecureBody(run.secureKey, []byte(req.body))
	if err != nil {
		return nil, fmt.Errorf("kinde.secureFetch: %w", err)
	}
	req.body = sealed
	req.encrypted = true
	req.headers.Set("Content-Type", secureFetchContentType)
	return run.fetch(ctx, req)
}

// sealSecureBody encrypts plaintext with AES-256-GCM under a random
// 12-byte nonce and returns Base64(nonce ‖ tag ‖ ciphertext).
func sealSecureBody(key, plaintext []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", fmt.Errorf("secure fetch key: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("generating a nonce: %w", err)
	}
	sealed := gcm.Seal(nil, nonce, plaintext, nil) // ciphertext ‖ tag
	ciphertext, tag := sealed[:len(plaintext)], sealed[len(plaintext):]
	out := make([]byte, 0, len(nonce)+len(tag)+len(ciphertext))
	out = append(out, nonce...)
	out = append(out, tag...)
	out = append(out, ciphertext...)
	return base64.StdEncoding.EncodeToString(out), nil
}

// decodeSecureFetchKey checks a Base64 AES-256 key.
func decodeSecureFetchKey(encoded string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, fmt.Errorf("secure fetch key is not standard Base64: %w", err)
	}
	if len(key) != secureFetchKeyBytes {
		return nil, fmt.Errorf("secure fetch key must decode to %d bytes (AES-256), got %d", secureFetchKeyBytes, len(key))
	}
	return key, nil
}

// newSecureFetchKey returns a random Base64 AES-256 key.
func newSecureFetchKey() (string, error) {
	key := make([]byte, secureFetchKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("generating the secure fetch key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(key), nil
}
