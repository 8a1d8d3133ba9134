package auth0_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator/peers/auth0"
	"kindewasm/emulator/peers/internal/idtoken"
)

const (
	realm  = "Username-Password-Authentication"
	secret = "s3cret-client"
)

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func startPeer(t *testing.T) *auth0.Server {
	t.Helper()
	return auth0.Start(t, auth0.Config{
		Domain: "legacy.auth0.com",
		Clients: []auth0.Client{
			{ID: "confidential", Secret: secret},
			{ID: "realm-only", Secret: secret, Grants: []string{auth0.GrantPasswordRealm}},
			{ID: "public"},
		},
		Connections: []auth0.Connection{{Name: realm, Users: []auth0.User{
			{Email: "ada@example.com", Password: "correct horse", GivenName: "Ada", FamilyName: "Lovelace", EmailVerified: true},
			{Email: "mfa@example.com", Password: "pw-mfa", MFA: true},
			{Email: "blocked@example.com", Password: "pw-blocked", Blocked: true},
		}}},
		DefaultConnection: realm,
		BruteForceLimit:   3,
		Clock:             func() time.Time { return fixedNow },
	})
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func post(t *testing.T, srv *auth0.Server, contentType, body string, header map[string]string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var decoded map[string]any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("answer is not JSON: %q", raw)
	}
	return answer{resp.StatusCode, resp.Header, decoded}
}

func form(fields map[string]string) string {
	v := url.Values{}
	for k, val := range fields {
		v.Set(k, val)
	}
	return v.Encode()
}

func realmLogin(username, password string) map[string]string {
	return map[string]string{
		"grant_type": auth0.GrantPasswordRealm, "realm": realm, "client_id": "confidential",
		"client_secret": secret, "username": username, "password": password, "scope": "openid profile email",
	}
}

func TestSuccessfulLoginReturnsSignedIDTokenWithProfile(t *testing.T) {
	srv := startPeer(t)
	got := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("ADA@example.com", "correct horse")), nil)
	if got.status != 200 {
		t.Fatalf("status %d, body %v", got.status, got.body)
	}
	if got.body["token_type"] != "Bearer" || got.body["expires_in"] != float64(86400) || got.body["scope"] != "openid profile email" {
		t.Errorf("unexpected token answer %v", got.body)
	}
	if tok, _ := got.body["access_token"].(string); !strings.HasPrefix(tok, "at_") {
		t.Errorf("access_token %q", tok)
	}
	claims, err := idtoken.Verify(got.body["id_token"].(string), []byte(secret))
	if err != nil {
		t.Fatalf("id_token: %v", err)
	}
	want := map[string]any{
		"iss": "https://legacy.auth0.com/", "sub": "auth0|ada@example.com", "aud": "confidential",
		"given_name": "Ada", "family_name": "Lovelace", "name": "Ada Lovelace",
		"email": "ada@example.com", "email_verified": true, "iat": float64(fixedNow.Unix()),
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
}

func TestJSONBodyAndDefaultDirectoryGrant(t *testing.T) {
	srv := startPeer(t)
	body := `{"grant_type":"password","client_id":"confidential","client_secret":"` + secret +
		`","username":"ada@example.com","password":"correct horse","scope":"openid"}`
	got := post(t, srv, "application/json", body, nil)
	if got.status != 200 {
		t.Fatalf("status %d, body %v", got.status, got.body)
	}
	claims, err := idtoken.Verify(got.body["id_token"].(string), []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := claims["given_name"]; ok {
		t.Errorf("scope openid alone must not release profile claims: %v", claims)
	}
}

func TestNoIDTokenWithoutOpenIDScope(t *testing.T) {
	srv := startPeer(t)
	fields := realmLogin("ada@example.com", "correct horse")
	delete(fields, "scope")
	got := post(t, srv, "application/x-www-form-urlencoded", form(fields), nil)
	if got.status != 200 {
		t.Fatalf("status %d", got.status)
	}
	if _, ok := got.body["id_token"]; ok {
		t.Errorf("id_token without openid scope: %v", got.body)
	}
}

func TestErrorsMatchAuth0(t *testing.T) {
	with := func(change func(map[string]string)) string {
		f := realmLogin("ada@example.com", "correct horse")
		change(f)
		return form(f)
	}
	cases := []struct {
		name, body   string
		status       int
		code, detail string
	}{
		{"missing grant_type", with(func(f map[string]string) { delete(f, "grant_type") }), 400, "invalid_request", "Missing required parameter: grant_type"},
		{"missing client_id", with(func(f map[string]string) { delete(f, "client_id") }), 400, "invalid_request", "Missing required parameter: client_id"},
		{"missing username", with(func(f map[string]string) { delete(f, "username") }), 400, "invalid_request", "Missing required parameter: username"},
		{"missing password", with(func(f map[string]string) { delete(f, "password") }), 400, "invalid_request", "Missing required parameter: password"},
		{"missing realm", with(func(f map[string]string) { delete(f, "realm") }), 400, "invalid_request", "Missing required parameter: realm"},
		{"unknown realm", with(func(f map[string]string) { f["realm"] = "nope" }), 400, "invalid_request", "the connection was not found"},
		{"unsupported grant", with(func(f map[string]string) { f["grant_type"] = "client_credentials" }), 400, "unsupported_grant_type", "Unsupported grant type: client_credentials"},
		{"unknown client", with(func(f map[string]string) { f["client_id"] = "ghost" }), 401, "invalid_client", "Unknown client: ghost"},
		{"bad client secret", with(func(f map[string]string) { f["client_secret"] = "wrong" }), 401, "invalid_client", "Client authentication failed."},
		{"grant not enabled", with(func(f map[string]string) { f["client_id"] = "realm-only"; f["grant_type"] = "password" }), 403, "unauthorized_client", "Grant type 'password' not allowed for the client."},
		{"wrong password", with(func(f map[string]string) { f["password"] = "nope" }), 403, "invalid_grant", "Wrong email or password."},
		{"unknown user", with(func(f map[string]string) { f["username"] = "ghost@example.com" }), 403, "invalid_grant", "Wrong email or password."},
		{"blocked user", with(func(f map[string]string) { f["username"] = "blocked@example.com"; f["password"] = "pw-blocked" }), 401, "unauthorized", "user is blocked"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startPeer(t)
			got := post(t, srv, "application/x-www-form-urlencoded", tc.body, nil)
			if got.status != tc.status || got.body["error"] != tc.code || got.body["error_description"] != tc.detail {
				t.Errorf("got %d %v, want %d %s %q", got.status, got.body, tc.status, tc.code, tc.detail)
			}
		})
	}
}

func TestPublicClientNeedsNoSecretAndBasicAuthWorks(t *testing.T) {
	srv := startPeer(t)
	fields := realmLogin("ada@example.com", "correct horse")
	fields["client_id"] = "public"
	delete(fields, "client_secret")
	if got := post(t, srv, "application/x-www-form-urlencoded", form(fields), nil); got.status != 200 {
		t.Errorf("public client: %d %v", got.status, got.body)
	}
	fields = realmLogin("ada@example.com", "correct horse")
	delete(fields, "client_id")
	delete(fields, "client_secret")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form(fields)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("confidential", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("basic client auth: %d", resp.StatusCode)
	}
	if auth := srv.Requests()[1].Header.Get("Authorization"); auth != "Basic [redacted]" {
		t.Errorf("recorded Authorization %q", auth)
	}
}

func TestMFAUserGetsMfaRequiredWithToken(t *testing.T) {
	srv := startPeer(t)
	got := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("mfa@example.com", "pw-mfa")), nil)
	if got.status != 403 || got.body["error"] != "mfa_required" || got.body["error_description"] != "Multifactor authentication required" {
		t.Fatalf("got %d %v", got.status, got.body)
	}
	if tok, _ := got.body["mfa_token"].(string); tok == "" {
		t.Errorf("no mfa_token in %v", got.body)
	}
	wrong := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("mfa@example.com", "nope")), nil)
	if wrong.body["error"] != "invalid_grant" {
		t.Errorf("wrong password of an MFA user must be invalid_grant, got %v", wrong.body)
	}
}

func TestBruteForceProtectionIsPerUserAndForwardedIP(t *testing.T) {
	srv := startPeer(t)
	from := func(ip string) map[string]string { return map[string]string{"auth0-forwarded-for": ip} }
	for i := 0; i < 3; i++ {
		got := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("ada@example.com", "nope")), from("203.0.113.7"))
		if got.body["error"] != "invalid_grant" {
			t.Fatalf("attempt %d: %v", i+1, got.body)
		}
	}
	blocked := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("ada@example.com", "correct horse")), from("203.0.113.7"))
	if blocked.status != 429 || blocked.body["error"] != "too_many_attempts" {
		t.Errorf("after the limit even the right password is refused: got %d %v", blocked.status, blocked.body)
	}
	other := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("ada@example.com", "correct horse")), from("198.51.100.1"))
	if other.status != 200 {
		t.Errorf("another end-user IP is not blocked: %d %v", other.status, other.body)
	}
	records := srv.Requests()
	if got := records[0].Header.Get("auth0-forwarded-for"); got != "203.0.113.7" {
		t.Errorf("recorded auth0-forwarded-for %q", got)
	}
}

func TestRecordsRedactSecrets(t *testing.T) {
	srv := startPeer(t)
	post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("ada@example.com", "correct horse")), nil)
	post(t, srv, "application/json", `{"grant_type":"password","client_id":"confidential","client_secret":"`+secret+`","username":"ada@example.com","password":"correct horse"}`, nil)
	records := srv.Requests()
	if len(records) != 2 {
		t.Fatalf("%d records", len(records))
	}
	for _, r := range records {
		text := fmt.Sprintf("%v", r)
		for _, leak := range []string{"correct horse", secret, "at_"} {
			if strings.Contains(text, leak) {
				t.Errorf("record leaks %q: %s", leak, text)
			}
		}
		if r.Method != "POST" || r.Path != "/oauth/token" || r.Status != 200 || !strings.Contains(r.Body, "ada%40example.com") && !strings.Contains(r.Body, "ada@example.com") {
			t.Errorf("record %+v", r)
		}
	}
	if u := (auth0.User{Email: "a@b", Password: "hunter2"}); strings.Contains(fmt.Sprintf("%v %+v %#v", u, u, u), "hunter2") {
		t.Error("User prints its password")
	}
}

func TestInjectedFaults(t *testing.T) {
	srv := startPeer(t)
	srv.Inject(auth0.RateLimited(2, 1795900000))
	srv.Inject(auth0.ServerError(3, 502))
	srv.Inject(auth0.Malformed(4))
	srv.Inject(auth0.Empty(5))
	srv.Inject(auth0.Unavailable(6))
	body := form(realmLogin("ada@example.com", "correct horse"))
	statuses := []int{}
	bodies := []string{}
	for i := 0; i < 7; i++ {
		resp, err := http.Post(srv.URL+"/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		bodies = append(bodies, string(raw))
		if i == 1 && resp.Header.Get("X-RateLimit-Reset") != "1795900000" {
			t.Errorf("rate limit headers %v", resp.Header)
		}
	}
	if fmt.Sprint(statuses) != "[200 429 502 200 200 503 200]" {
		t.Errorf("statuses %v", statuses)
	}
	if !strings.Contains(bodies[1], `"too_many_requests"`) || bodies[3] != `{"access_token":"eyJ` || bodies[4] != "" {
		t.Errorf("fault bodies %q", bodies)
	}
	faults := []string{}
	for _, r := range srv.Requests() {
		faults = append(faults, r.Fault)
	}
	if fmt.Sprint(faults) != "[ rate_limited server_error malformed empty unavailable ]" {
		t.Errorf("recorded faults %q", faults)
	}
}

func TestDroppedAndSlowAnswers(t *testing.T) {
	srv := startPeer(t)
	srv.Inject(auth0.Dropped(1))
	srv.Inject(auth0.Slow(2, time.Hour))
	body := form(realmLogin("ada@example.com", "correct horse"))
	if _, err := http.Post(srv.URL+"/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(body)); err == nil {
		t.Error("a dropped connection must fail the request")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a slow answer must outlast the client's deadline, got %v", err)
	}
	if got := post(t, srv, "application/x-www-form-urlencoded", body, nil); got.status != 200 {
		t.Errorf("third call is normal: %d", got.status)
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	_, err := auth0.New(auth0.Config{DefaultConnection: "missing"})
	if err == nil || !strings.Contains(err.Error(), `DefaultConnection "missing"`) {
		t.Errorf("got %v", err)
	}
	srv := startPeer(t)
	if err := srv.AddUser("nope", auth0.User{Email: "x@y"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("got %v", err)
	}
	if err := srv.AddUser(realm, auth0.User{Email: "new@example.com", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if got := post(t, srv, "application/x-www-form-urlencoded", form(realmLogin("new@example.com", "pw")), nil); got.status != 200 {
		t.Errorf("seeded user cannot log in: %v", got.body)
	}
}
