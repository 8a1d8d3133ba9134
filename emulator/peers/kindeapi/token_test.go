package kindeapi

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

// verifyWithJWKS checks token against the server's JWKS document with
// crypto/rsa only, independently of the peer's own verifier.
func verifyWithJWKS(t *testing.T, s *Server, token string) map[string]any {
	t.Helper()
	keys := mustSend(t, http.MethodGet, s.URL+"/.well-known/jwks.json", nil, "")
	if keys.status != http.StatusOK {
		t.Fatalf("JWKS answered %d", keys.status)
	}
	var doc struct {
		Keys []struct{ Kty, Alg, Use, Kid, N, E string }
	}
	if err := json.Unmarshal(keys.body, &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("JWKS is not one key: %v %s", err, keys.body)
	}
	jwk := doc.Keys[0]
	if jwk.Kty != "RSA" || jwk.Alg != "RS256" || jwk.Use != "sig" || jwk.Kid == "" {
		t.Fatalf("unexpected JWK %+v", jwk)
	}
	n, errN := base64.RawURLEncoding.DecodeString(jwk.N)
	e, errE := base64.RawURLEncoding.DecodeString(jwk.E)
	if errN != nil || errE != nil {
		t.Fatalf("JWK n/e are not base64url: %v %v", errN, errE)
	}
	public := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}

	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var header map[string]string
	headerJSON, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(headerJSON, &header); err != nil {
		t.Fatalf("token header: %v", err)
	}
	if header["alg"] != "RS256" || header["kid"] != jwk.Kid {
		t.Fatalf("token header %v does not name the JWKS key %s", header, jwk.Kid)
	}
	signature, _ := base64.RawURLEncoding.DecodeString(parts[2])
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(public, crypto.SHA256, digest[:], signature); err != nil {
		t.Fatalf("token signature does not verify with the JWKS key: %v", err)
	}
	var claims map[string]any
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("token claims: %v", err)
	}
	return claims
}

func TestTokenIsAnRS256JWTThatTheJWKSVerifies(t *testing.T) {
	clock := &manualClock{now: fixedTime}
	s := Start(t, Config{Clock: clock.Now})

	a := requestToken(t, s, tokenForm(s))
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if got := a.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	body := a.json(t)
	if body["token_type"] != "bearer" || body["expires_in"] != float64(86400) ||
		body["scope"] != "read:users create:users update:user_passwords" {
		t.Errorf("token response = %v", body)
	}
	claims := verifyWithJWKS(t, s, body["access_token"].(string))
	if claims["iss"] != s.URL {
		t.Errorf("iss = %v, want %s", claims["iss"], s.URL)
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != s.URL+"/api" {
		t.Errorf("aud = %v, want [%s/api]", claims["aud"], s.URL)
	}
	if claims["exp"] != float64(fixedTime.Unix()+86400) || claims["iat"] != float64(fixedTime.Unix()) {
		t.Errorf("exp/iat = %v/%v", claims["exp"], claims["iat"])
	}
	if claims["azp"] != DefaultClientID {
		t.Errorf("azp = %v", claims["azp"])
	}
}

func TestTokenAcceptsBasicClientAuthenticationAndNarrowerScope(t *testing.T) {
	s := Start(t, Config{})
	form := tokenForm(s)
	form.Del("client_id")
	form.Del("client_secret")
	form.Set("scope", "read:users")
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	req := basicAuth(DefaultClientID, DefaultClientSecret.Reveal())
	header.Set("Authorization", req)
	a := mustSend(t, http.MethodPost, s.URL+"/oauth2/token", header, form.Encode())
	if a.status != http.StatusOK || a.json(t)["scope"] != "read:users" {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	c := client{t: t, s: s, token: a.json(t)["access_token"].(string)}
	if got := c.do(http.MethodGet, "/api/v1/users", ""); got.status != http.StatusOK {
		t.Errorf("read with read:users answered %d", got.status)
	}
	refused := c.do(http.MethodPost, "/api/v1/user", createBody)
	if refused.status != http.StatusForbidden || refused.firstErrorCode(t) != "FORBIDDEN" {
		t.Errorf("create without create:users answered %d %s", refused.status, refused.body)
	}
	if len(s.Users()) != 0 {
		t.Error("a refused create changed state")
	}
}

// basicAuth encodes client_secret_basic credentials.
func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func TestTokenRefusesWrongCredentialsLikeAnOAuthServer(t *testing.T) {
	s := Start(t, Config{ClientID: "m2m", ClientSecret: NewSecret("right-secret")})
	form := tokenForm(s)
	form.Set("client_id", "m2m")
	form.Set("client_secret", "wrong-secret")
	a := requestToken(t, s, form)
	if a.status != http.StatusUnauthorized || a.json(t)["error"] != "invalid_client" {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if a.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	for _, e := range s.Requests() {
		if strings.Contains(e.RequestBody, "wrong-secret") || strings.Contains(e.RequestBody, "right-secret") {
			t.Errorf("a client secret was recorded: %s", e.RequestBody)
		}
	}

	form.Set("client_secret", "right-secret")
	ok := requestToken(t, s, form)
	if ok.status != http.StatusOK {
		t.Fatalf("right credentials answered %d", ok.status)
	}
	for _, e := range s.Requests() {
		if strings.Contains(e.ResponseBody, ok.json(t)["access_token"].(string)) {
			t.Errorf("an access token was recorded: %s", e.ResponseBody)
		}
	}
}

func TestTokenRefusesAScopeNotGranted(t *testing.T) {
	s := Start(t, Config{Scopes: []string{"read:users"}})
	form := tokenForm(s)
	form.Set("scope", "read:users delete:users")
	a := requestToken(t, s, form)
	if a.status != http.StatusBadRequest || a.json(t)["error"] != "invalid_scope" {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
}

func TestMalformedTokenRequestsAreViolations(t *testing.T) {
	cases := []struct {
		name, contentType, wantError, wantProblem string
		edit                                      func(s *Server, form map[string][]string)
	}{
		{"no grant type", "application/x-www-form-urlencoded", "invalid_request", "grant_type is missing",
			func(_ *Server, f map[string][]string) { delete(f, "grant_type") }},
		{"password grant", "application/x-www-form-urlencoded", "unsupported_grant_type", `grant_type "password"`,
			func(_ *Server, f map[string][]string) { f["grant_type"] = []string{"password"} }},
		{"no audience", "application/x-www-form-urlencoded", "invalid_request", "audience is missing",
			func(_ *Server, f map[string][]string) { delete(f, "audience") }},
		{"other audience", "application/x-www-form-urlencoded", "invalid_request", "is not this API",
			func(_ *Server, f map[string][]string) { f["audience"] = []string{"https://x.kinde.com/api"} }},
		{"no client id", "application/x-www-form-urlencoded", "invalid_request", "client_id is missing",
			func(_ *Server, f map[string][]string) { delete(f, "client_id") }},
		{"JSON body", "application/json", "invalid_request", "Content-Type",
			func(*Server, map[string][]string) {}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, Config{})
			form := tokenForm(s)
			tc.edit(s, form)
			a := mustSend(t, http.MethodPost, s.URL+"/oauth2/token",
				http.Header{"Content-Type": {tc.contentType}}, form.Encode())
			if a.status != http.StatusBadRequest || a.json(t)["error"] != tc.wantError {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			violations := s.Violations()
			if len(violations) != 1 || violations[0].Kind != RequestViolation ||
				!strings.Contains(violations[0].Problem, tc.wantProblem) {
				t.Fatalf("violations = %v, want one naming %q", violations, tc.wantProblem)
			}
		})
	}
}

func TestAPIRefusesCallsWithoutAValidToken(t *testing.T) {
	clock := &manualClock{now: fixedTime}
	s := Start(t, Config{Clock: clock.Now})
	other := Start(t, Config{})
	valid := accessToken(t, s)
	foreign := accessToken(t, other)
	tampered := valid[:len(valid)-4] + "AAAA"

	cases := []struct {
		name, authorization, wantCode string
	}{
		{"no header", "", "UNAUTHORIZED"},
		{"basic scheme", basicAuth("a", "b"), "UNAUTHORIZED"},
		{"not a JWT", "Bearer not-a-token", "UNAUTHORIZED"},
		{"bad signature", "Bearer " + tampered, "UNAUTHORIZED"},
		{"other issuer", "Bearer " + foreign, "UNAUTHORIZED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{"Content-Type": {"application/json"}}
			if tc.authorization != "" {
				header.Set("Authorization", tc.authorization)
			}
			a := mustSend(t, http.MethodPost, s.URL+"/api/v1/user", header, createBody)
			if a.status != http.StatusForbidden || a.firstErrorCode(t) != tc.wantCode {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
		})
	}

	c := client{t: t, s: s, token: valid}
	clock.Advance(24*time.Hour - time.Second)
	if a := c.do(http.MethodGet, "/api/v1/users", ""); a.status != http.StatusOK {
		t.Fatalf("token refused a second before expiry: %d %s", a.status, a.body)
	}
	clock.Advance(time.Second)
	expired := c.do(http.MethodGet, "/api/v1/users", "")
	if expired.status != http.StatusForbidden || expired.firstErrorCode(t) != "TOKEN_EXPIRED" {
		t.Fatalf("expired token: %d %s", expired.status, expired.body)
	}
	if len(s.Users()) != 0 {
		t.Error("a refused call changed state")
	}
	for _, e := range s.Requests() {
		if strings.Contains(e.RequestBody+e.ResponseBody, valid) {
			t.Errorf("a token was recorded in %v", e)
		}
	}
}

func TestPublicURLIsTheIssuerAndAudience(t *testing.T) {
	s := Start(t, Config{PublicURL: "https://acme.kinde.com/"})
	if s.Issuer() != "https://acme.kinde.com" || s.Audience() != "https://acme.kinde.com/api" {
		t.Fatalf("issuer %s audience %s", s.Issuer(), s.Audience())
	}
	form := tokenForm(s)
	token := requestToken(t, s, form).json(t)["access_token"].(string)
	if claims := verifyWithJWKS(t, s, token); claims["iss"] != "https://acme.kinde.com" {
		t.Errorf("iss = %v", claims["iss"])
	}
	if a := (client{t: t, s: s, token: token}).do(http.MethodGet, "/api/v1/users", ""); a.status != http.StatusOK {
		t.Errorf("API call answered %d %s", a.status, a.body)
	}

	loopback := newServer(t, Config{PublicURL: "https://acme.kinde.com"})
	form.Set("audience", loopback.URL+"/api")
	if a := requestToken(t, loopback, form); a.status != http.StatusBadRequest {
		t.Errorf("the loopback audience was accepted: %d", a.status)
	}

	for _, bad := range []string{"acme.kinde.com", "ftp://acme.kinde.com", "https://acme.kinde.com/api", "https://"} {
		if _, err := New(Config{PublicURL: bad}); err == nil || !strings.Contains(err.Error(), "PublicURL") {
			t.Errorf("New accepted PublicURL %q: %v", bad, err)
		}
	}
}
