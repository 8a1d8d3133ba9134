package kindeapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

// accessClaims are the claims of the peer's access tokens.
type accessClaims struct {
	Audience  []string `json:"aud"`
	AuthParty string   `json:"azp"`
	Expiry    int64    `json:"exp"`
	GrantType []string `json:"gty"`
	IssuedAt  int64    `json:"iat"`
	Issuer    string   `json:"iss"`
	ID        string   `json:"jti"`
	Scope     string   `json:"scope"`
}

// jwtHeader is the JOSE header of an RS256 token.
type jwtHeader struct {
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	Type      string `json:"typ"`
}

// jsonWebKey is one RSA public key of a JWKS document (RFC 7517).
type jsonWebKey struct {
	KeyType   string `json:"kty"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	Modulus   string `json:"n"`
	Exponent  string `json:"e"`
}

// jwks is the document served at /.well-known/jwks.json.
type jwks struct {
	Keys []jsonWebKey `json:"keys"`
}

var b64 = base64.RawURLEncoding

var (
	processKeyOnce sync.Once
	processKey     *rsa.PrivateKey
	processKeyErr  error
)

// processSigningKey generates one RSA key per process: generation is slow
// and the key's value matters to no test.
func processSigningKey() (*rsa.PrivateKey, error) {
	processKeyOnce.Do(func() {
		processKey, processKeyErr = rsa.GenerateKey(rand.Reader, 2048)
		if processKeyErr != nil {
			processKeyErr = fmt.Errorf("kindeapi: generate the token signing key: %w", processKeyErr)
		}
	})
	return processKey, processKeyErr
}

// publicJWK describes key's public half; its kid is the RFC 7638 thumbprint.
func publicJWK(key *rsa.PublicKey) jsonWebKey {
	n := b64.EncodeToString(key.N.Bytes())
	e := b64.EncodeToString(big.NewInt(int64(key.E)).Bytes())
	canonical := `{"e":"` + e + `","kty":"RSA","n":"` + n + `"}`
	thumbprint := sha256.Sum256([]byte(canonical))
	return jsonWebKey{
		KeyType:   "RSA",
		Use:       "sig",
		Algorithm: "RS256",
		KeyID:     b64.EncodeToString(thumbprint[:]),
		Modulus:   n,
		Exponent:  e,
	}
}

// signRS256 encodes claims as a compact JWS signed with key.
func signRS256(key *rsa.PrivateKey, keyID string, claims accessClaims) (string, error) {
	header, err := json.Marshal(jwtHeader{Algorithm: "RS256", KeyID: keyID, Type: "JWT"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signingInput := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	digest := sha256.Sum256([]byte(signingInput))
	signature, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("kindeapi: sign access token: %w", err)
	}
	return signingInput + "." + b64.EncodeToString(signature), nil
}

// errTokenExpired marks a well-signed token past its expiry.
var errTokenExpired = errors.New("access token has expired")

// verifyRS256 checks a token's signature, issuer, audience and expiry and
// returns its claims. Errors never quote the token.
func verifyRS256(key *rsa.PublicKey, keyID, token, issuer, audience string, now time.Time) (accessClaims, error) {
	var claims accessClaims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims, errors.New("access token is not a compact JWS (three dot-separated parts)")
	}
	headerJSON, err := b64.DecodeString(parts[0])
	if err != nil {
		return claims, errors.New("access token header is not base64url")
	}
	var header jwtHeader
	if err := json.Unmarshal(headerJSON, &header); err != nil {
		return claims, errors.New("access token header is not JSON")
	}
	if header.Algorithm != "RS256" || header.KeyID != keyID {
		return claims, errors.New("access token is not signed by this server's RS256 key")
	}
	signature, err := b64.DecodeString(parts[2])
	if err != nil {
		return claims, errors.New("access token signature is not base64url")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], signature) != nil {
		return claims, errors.New("access token signature is invalid")
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return claims, errors.New("access token payload is not base64url")
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return claims, errors.New("access token payload is not JSON claims")
	}
	if claims.Issuer != issuer {
		return claims, errors.New("access token was issued by another issuer")
	}
	if !slices.Contains(claims.Audience, audience) {
		return claims, fmt.Errorf("access token audience does not include %s", audience)
	}
	if now.Unix() >= claims.Expiry {
		return claims, errTokenExpired
	}
	return claims, nil
}
