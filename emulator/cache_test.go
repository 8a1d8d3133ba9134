package emulator_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

// kindeAuthServer plays the parts of Kinde that createKindeAPI talks to:
// the JWKS, the client-credentials token endpoint and one Management API
// endpoint that checks the bearer token.
type kindeAuthServer struct {
	*emulatortest.Server
	key          *rsa.PrivateKey
	tokensIssued atomic.Int32
}

func newKindeAuthServer(t *testing.T) *kindeAuthServer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := &kindeAuthServer{key: key}
	s.Server = emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/jwks.json":
			fmt.Fprintf(w, `{"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":"k1","n":%q,"e":%q}]}`,
				b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes()))
		case "/oauth2/token":
			body, _ := io.ReadAll(r.Body)
			form, _ := url.ParseQuery(string(body))
			if form.Get("grant_type") != "client_credentials" || form.Get("client_secret") != "m2m-secret" {
				http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
				return
			}
			n := s.tokensIssued.Add(1)
			token := signJWT(t, key, "k1", map[string]any{"sub": "m2m", "n": n, "exp": time.Now().Add(time.Hour).Unix()})
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, token)
		case "/api/v1/users":
			fmt.Fprintf(w, `{"users":[],"auth":"%t"}`, strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ey"))
		default:
			http.NotFound(w, r)
		}
	})
	return s
}

func b64(data []byte) string { return base64.RawURLEncoding.EncodeToString(data) }

// signJWT makes an RS256 JWT.
func signJWT(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	payload, _ := json.Marshal(claims)
	signed := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + b64(sig)
}

func TestJWTCacheReusesValidTokensAndRefreshesBadOnes(t *testing.T) {
	// A project of its own: the token cache lives in the Project.
	project, err := emulator.Load(bindingsProject)
	if err != nil {
		t.Fatal(err)
	}
	srv := newKindeAuthServer(t)
	opts := emulator.Options{
		Routes:     []emulator.Route{{Host: "acme.kinde.com", Target: srv.URL}},
		SecretKeys: []string{"KINDE_WF_M2M_CLIENT_SECRET"},
	}
	env := map[string]string{"KINDE_WF_M2M_CLIENT_ID": "m2m-id", "KINDE_WF_M2M_CLIENT_SECRET": "m2m-secret"}
	event := map[string]any{"context": map[string]any{"domains": map[string]any{"kindeDomain": "https://acme.kinde.com"}}}
	const cacheKey = "internal_m2m_access_token"

	run := func(t *testing.T, event map[string]any) *emulator.RunRecord {
		t.Helper()
		rec := emulatortest.Run(t, project, "m2m", event, env, opts)
		if !rec.Resolved() {
			t.Fatalf("outcome = %+v", rec.Outcome)
		}
		if len(rec.CacheLookups) != 1 {
			t.Fatalf("cache lookups = %+v", rec.CacheLookups)
		}
		if want := `{"users":{"auth":"true","users":[]}}`; string(rec.Outcome.Value) != want {
			t.Errorf("value = %s, want %s", rec.Outcome.Value, want)
		}
		return rec
	}
	lookup := func(rec *emulator.RunRecord) string {
		l := rec.CacheLookups[0]
		return fmt.Sprintf("%s refreshed=%v", l.Result, l.Refreshed)
	}

	first := run(t, event)
	if got := lookup(first); got != "missing refreshed=true" || srv.tokensIssued.Load() != 1 {
		t.Errorf("first run: %s, %d tokens issued", got, srv.tokensIssued.Load())
	}
	if len(first.Requests) != 2 || first.Requests[0].URL != "https://acme.kinde.com/oauth2/token" {
		t.Errorf("first run requests = %+v", first.Requests)
	}
	cached, ok := project.CachedToken(cacheKey)
	if !ok {
		t.Fatal("no token cached")
	}

	second := run(t, event)
	if got := lookup(second); got != "hit refreshed=false" || srv.tokensIssued.Load() != 1 {
		t.Errorf("second run: %s, %d tokens issued", got, srv.tokensIssued.Load())
	}
	if len(second.Requests) != 1 || second.CacheLookups[0].JWKSURL != "https://acme.kinde.com/.well-known/jwks.json" {
		t.Errorf("second run: requests %+v, lookups %+v", second.Requests, second.CacheLookups)
	}
	if again, _ := project.CachedToken(cacheKey); again != cached {
		t.Error("a cache hit replaced the token")
	}

	project.SetCachedToken(cacheKey, signJWT(t, srv.key, "k1", map[string]any{"exp": time.Now().Add(-time.Minute).Unix()}))
	if got := lookup(run(t, event)); got != "expired refreshed=true" || srv.tokensIssued.Load() != 2 {
		t.Errorf("expired token: %s, %d tokens issued", got, srv.tokensIssued.Load())
	}

	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	project.SetCachedToken(cacheKey, signJWT(t, otherKey, "k1", map[string]any{"exp": time.Now().Add(time.Hour).Unix()}))
	if got := lookup(run(t, event)); got != "invalid: signature does not match the JWKS refreshed=true" || srv.tokensIssued.Load() != 3 {
		t.Errorf("forged token: %s, %d tokens issued", got, srv.tokensIssued.Load())
	}

	project.ClearTokenCache()
	asyncEvent := map[string]any{"context": event["context"], "asyncRefresh": true}
	rec := run(t, asyncEvent)
	if got := lookup(rec); got != "missing refreshed=true" || srv.tokensIssued.Load() != 4 {
		t.Errorf("async refresh: %s, %d tokens issued", got, srv.tokensIssued.Load())
	}
	if _, ok := project.CachedToken(cacheKey); !ok {
		t.Error("the token a Promise resolved with was not cached")
	}

	text := recordJSON(t, rec)
	if token, _ := project.CachedToken(cacheKey); strings.Contains(text, token) || strings.Contains(text, "m2m-secret") {
		t.Errorf("record leaks the token or client secret: %s", text)
	}
}

func TestRunSequenceSharesOneVM(t *testing.T) {
	project := emulatortest.Load(t, runtimeProject)
	calls := []emulator.Call{{}, {Event: []byte(`{"fail":true}`)}, {}}

	records, err := project.RunSequence(t.Context(), "counter", calls, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{string(records[0].Outcome.Value), records[1].Outcome.Error, string(records[2].Outcome.Value)}
	want := []string{"1", "Error: call 2 failed", "3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("outcomes = %q, want %q", got, want)
	}
	// Separate runs use fresh VMs.
	for i := 0; i < 2; i++ {
		if rec := emulatortest.Run(t, project, "counter", nil, nil, emulator.Options{}); string(rec.Outcome.Value) != "1" {
			t.Errorf("fresh run %d = %s, want 1", i, rec.Outcome.Value)
		}
	}
}

func TestRunSequenceRecoversAfterATimeout(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	records, err := project.RunSequence(t.Context(), "hangs", []emulator.Call{{}, {}}, emulator.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range records {
		if !rec.Outcome.TimedOut || len(rec.Logs) != 1 {
			t.Errorf("call %d: outcome %+v, logs %v; want its own timeout and log line", i, rec.Outcome, rec.Logs)
		}
	}
}
