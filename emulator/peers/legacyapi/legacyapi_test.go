package legacyapi

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const (
	adaPassword   = "Ada-Legacy-Pass-1"
	otherPassword = "Other-Legacy-Pass-2"
)

func testUsers() []User {
	return []User{
		{Email: "ada@example.com", Password: adaPassword, GivenName: "Ada", FamilyName: "Lovelace"},
		{Email: "mfa@example.com", Password: otherPassword, Result: MFARequired, GivenName: "Grace"},
		{Email: "reset@example.com", Password: otherPassword, Result: ResetRequired, GivenName: "Never", FamilyName: "Sent"},
		{Email: "locked@example.com", Password: otherPassword, Result: Locked},
	}
}

// post sends one request over loopback and returns status and body.
func post(t *testing.T, url, contentType, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func credentialsJSON(email, password string) string {
	data, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return string(data)
}

func TestVerdictsFollowTheAccounts(t *testing.T) {
	s := Start(t, Config{Users: testUsers()})
	tests := []struct {
		name, email, password string
		status                int
		body                  string
	}{
		{"right password", "ada@example.com", adaPassword, 200, `{"result":"verified","given_name":"Ada","family_name":"Lovelace"}`},
		{"e-mail case ignored", "ADA@Example.com", adaPassword, 200, `{"result":"verified","given_name":"Ada","family_name":"Lovelace"}`},
		{"mfa", "mfa@example.com", otherPassword, 200, `{"result":"mfa_required","given_name":"Grace"}`},
		{"reset sends no names", "reset@example.com", otherPassword, 403, `{"result":"reset_required"}`},
		{"locked", "locked@example.com", otherPassword, 423, `{"result":"locked"}`},
		{"wrong password", "ada@example.com", otherPassword, 401, `{"result":"rejected"}`},
		{"wrong password of a locked account", "locked@example.com", adaPassword, 401, `{"result":"rejected"}`},
		{"unknown e-mail", "nobody@example.com", adaPassword, 401, `{"result":"rejected"}`},
	}
	for _, tt := range tests {
		status, body := post(t, s.EndpointURL(), "application/json", credentialsJSON(tt.email, tt.password))
		if status != tt.status || body != tt.body {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, body, tt.status, tt.body)
		}
	}

	attempts := s.Attempts()
	if len(attempts) != len(tests) {
		t.Fatalf("%d attempts recorded, want %d", len(attempts), len(tests))
	}
	want := Attempt{Email: "nobody@example.com", KnownUser: false, PasswordMatched: false, Result: Rejected}
	if got := attempts[len(attempts)-1]; got != want {
		t.Errorf("last attempt = %+v, want %+v", got, want)
	}
	if got := attempts[5]; !got.KnownUser || got.PasswordMatched {
		t.Errorf("wrong-password attempt = %+v", got)
	}
}

func TestRecordsNeverHoldThePassword(t *testing.T) {
	s := Start(t, Config{Users: testUsers()})
	post(t, s.EndpointURL(), "application/json", credentialsJSON("ada@example.com", adaPassword))

	exchanges := s.Requests()
	if len(exchanges) != 1 {
		t.Fatalf("%d exchanges", len(exchanges))
	}
	if want := `{"email":"ada@example.com","password":"[redacted]"}`; exchanges[0].Body != want {
		t.Errorf("recorded body = %s, want %s", exchanges[0].Body, want)
	}
	all := fmt.Sprintf("%+v %v %#v", exchanges, s.Attempts(), Config{Users: testUsers(), SecureFetchKey: newKey(t)})
	if strings.Contains(all, adaPassword) || strings.Contains(all, otherPassword) {
		t.Errorf("a password leaked: %s", all)
	}
}

func TestContractBreachesAreRefusedAndRecorded(t *testing.T) {
	s, err := New(Config{Users: testUsers()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name, method, path, contentType, body, problem string
		status                                         int
	}{
		{"GET", "GET", s.Path(), "", "", "GET /validate: only POST is served", 405},
		{"other path", "POST", "/check", "application/json", "{}", "POST /check: no such endpoint (the endpoint is /validate)", 404},
		{"form body", "POST", s.Path(), "application/x-www-form-urlencoded", "email=a&password=b", `Content-Type "application/x-www-form-urlencoded": want application/json`, 400},
		{"not an object", "POST", s.Path(), "application/json", `["ada"]`, "body is not a JSON object", 400},
		{"extra field", "POST", s.Path(), "application/json", `{"email":"ada@example.com","password":"x","hashed_password":"y"}`, `body has field "hashed_password"; the contract allows only email and password`, 400},
		{"no password", "POST", s.Path(), "application/json", `{"email":"ada@example.com"}`, `body lacks field "password"`, 400},
		{"number password", "POST", s.Path(), "application/json", `{"email":"ada@example.com","password":12}`, `body field "password" is not a string`, 400},
		{"empty e-mail", "POST", s.Path(), "application/json", `{"email":" ","password":"x"}`, `body field "email" is empty`, 400},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, s.URL+tt.path, strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if resp.StatusCode != tt.status || answer["error"] != "invalid_request" || answer["error_description"] != tt.problem {
			t.Errorf("%s: got %d %v, want %d %q", tt.name, resp.StatusCode, answer, tt.status, tt.problem)
		}
	}
	if got := len(s.Violations()); got != len(tests) {
		t.Errorf("%d violations recorded, want %d: %q", got, len(tests), s.Violations())
	}
	if len(s.Attempts()) != 0 {
		t.Errorf("refused requests counted as attempts: %+v", s.Attempts())
	}
}

func TestSecureFetchBodiesAreDecrypted(t *testing.T) {
	key := newKey(t)
	s, err := New(Config{Users: testUsers(), SecureFetchKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	sealed := seal(t, key, credentialsJSON("ada@example.com", adaPassword))
	status, body := post(t, s.EndpointURL(), "text/plain;charset=UTF-8", sealed)
	if status != 200 || !strings.Contains(body, `"result":"verified"`) {
		t.Fatalf("encrypted right password: %d %s", status, body)
	}
	if got := s.Attempts(); len(got) != 1 || !got[0].Encrypted || !got[0].PasswordMatched {
		t.Errorf("attempts = %+v", got)
	}
	if got := s.Requests()[0].Body; got != sealed {
		t.Errorf("the ciphertext should be recorded as sent, got %q", got)
	}

	refused := []struct{ name, body, problem string }{
		{"plaintext", credentialsJSON("ada@example.com", adaPassword), "plaintext JSON body, but this endpoint expects a kinde.secureFetch (encrypted) body"},
		{"other key", seal(t, newKey(t), credentialsJSON("ada@example.com", adaPassword)), "secureFetch body: body does not open with the configured key (authentication failed)"},
		{"tampered", tamper(t, sealed), "secureFetch body: body does not open with the configured key (authentication failed)"},
		{"too short", base64.StdEncoding.EncodeToString([]byte("short")), "secureFetch body: body has 5 bytes, fewer than nonce (12) and tag (16)"},
		{"not base64", "%%%", "secureFetch body: body is not Base64"},
	}
	for _, tt := range refused {
		status, body := post(t, s.EndpointURL(), "text/plain", tt.body)
		if status != 400 || !strings.Contains(body, tt.problem) {
			t.Errorf("%s: got %d %s, want 400 %q", tt.name, status, body, tt.problem)
		}
	}
	if got := len(s.Violations()); got != len(refused) {
		t.Errorf("%d violations, want %d", got, len(refused))
	}
}

func TestDecryptAcceptsURLSafeBase64(t *testing.T) {
	key := newKey(t)
	raw, _ := ParseKey(key)
	std := seal(t, key, "{}")
	decoded, _ := base64.StdEncoding.DecodeString(std)
	plaintext, err := Decrypt(raw, base64.RawURLEncoding.EncodeToString(decoded))
	if err != nil || string(plaintext) != "{}" {
		t.Errorf("Decrypt(URL-safe) = %q, %v", plaintext, err)
	}
}

func TestFaultsReplaceAnswers(t *testing.T) {
	s := Start(t, Config{Users: testUsers()})
	s.Inject(RateLimited(1, 7))
	s.Inject(ServerError(2, 503))

	resp, err := http.Post(s.EndpointURL(), "application/json", strings.NewReader(credentialsJSON("ada@example.com", adaPassword)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("first call: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if status, _ := post(t, s.EndpointURL(), "application/json", credentialsJSON("ada@example.com", adaPassword)); status != 503 {
		t.Errorf("second call: %d", status)
	}
	if status, _ := post(t, s.EndpointURL(), "application/json", credentialsJSON("ada@example.com", adaPassword)); status != 200 {
		t.Errorf("third call: %d", status)
	}
	faults := []string{}
	for _, e := range s.Requests() {
		faults = append(faults, e.Fault)
	}
	if want := []string{"rate_limited", "server_error", ""}; !reflect.DeepEqual(faults, want) {
		t.Errorf("faults = %q, want %q", faults, want)
	}
	if got := len(s.Attempts()); got != 1 {
		t.Errorf("%d attempts, want only the unfaulted one", got)
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	tests := []struct {
		config Config
		want   string
	}{
		{Config{Path: "validate"}, `Config.Path "validate" must start with /`},
		{Config{Users: []User{{Password: "x"}}}, "Users[0] has no Email"},
		{Config{Users: []User{{Email: "a@example.com"}}}, "Users[0] (a@example.com) has no Password"},
		{Config{Users: []User{{Email: "a@example.com", Password: "x", Result: Rejected}}}, `has Result "rejected"`},
		{Config{Users: []User{{Email: "a@example.com", Password: "x"}, {Email: "A@example.com", Password: "y"}}}, "configured twice"},
		{Config{SecureFetchKey: "c2hvcnQ="}, "secureFetch key must decode to 32 bytes (AES-256), got 5"},
		{Config{SecureFetchKey: "not base64!"}, "secureFetch key is not standard Base64"},
	}
	for _, tt := range tests {
		s, err := New(tt.config)
		if err == nil {
			s.Close()
			t.Errorf("New(%v) succeeded, want %q", tt.config, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%v) = %v, want %q", tt.config, err, tt.want)
		}
	}
}

// newKey returns a random Base64 AES-256 key.
func newKey(t *testing.T) string {
	t.Helper()
	key := make([]byte, keyBytes)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(key)
}

// seal encrypts as kinde.secureFetch does: Base64(nonce ‖ tag ‖ ciphertext).
func seal(t *testing.T, encodedKey, plaintext string) string {
	t.Helper()
	key, _ := base64.StdEncoding.DecodeString(encodedKey)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, _ := cipher.NewGCM(block)
	nonce := make([]byte, nonceBytes)
	_, _ = rand.Read(nonce)
	sealed := gcm.Seal(nil, nonce, []byte(plaintext), nil)
	n := len(plaintext)
	out := append(append(append([]byte{}, nonce...), sealed[n:]...), sealed[:n]...)
	return base64.StdEncoding.EncodeToString(out)
}

// tamper flips one bit of the ciphertext part of a sealed body.
func tamper(t *testing.T, sealed string) string {
	t.Helper()
	raw, _ := base64.StdEncoding.DecodeString(sealed)
	raw[len(raw)-1] ^= 1
	return base64.StdEncoding.EncodeToString(raw)
}
