// Package idtoken builds the HS256-signed JWTs the identity-provider peers
// hand out as ID and access tokens, and reads them back in tests.
package idtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

var encoding = base64.RawURLEncoding

// Sign returns the compact JWT of claims signed with HMAC-SHA256 under secret.
func Sign(claims map[string]any, secret []byte) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encoding token claims: %w", err)
	}
	signingInput := encoding.EncodeToString(header) + "." + encoding.EncodeToString(payload)
	return signingInput + "." + encoding.EncodeToString(mac(signingInput, secret)), nil
}

// Verify checks token's HS256 signature under secret and returns its claims.
func Verify(token string, secret []byte) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("a JWT has 3 dot-separated parts, this one has %d", len(parts))
	}
	signature, err := encoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("JWT signature is not base64url: %w", err)
	}
	if !hmac.Equal(signature, mac(parts[0]+"."+parts[1], secret)) {
		return nil, errors.New("JWT signature does not match the secret")
	}
	payload, err := encoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("JWT payload is not base64url: %w", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, fmt.Errorf("JWT payload is not a JSON object: %w", err)
	}
	return claims, nil
}

// Opaque returns a deterministic opaque token: kind, then a MAC of parts.
func Opaque(kind string, secret []byte, parts ...string) string {
	return kind + "_" + encoding.EncodeToString(mac(strings.Join(parts, "\x00"), secret))
}

func mac(input string, secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(input))
	return h.Sum(nil)
}
