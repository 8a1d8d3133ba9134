package emulator_test

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

const bindingsProject = "testdata/bindings"

// decodeValue returns the resolved value of rec as generic JSON.
func decodeValue(t *testing.T, rec *emulator.RunRecord) map[string]any {
	t.Helper()
	if !rec.Resolved() {
		t.Fatalf("outcome = %+v, want resolved", rec.Outcome)
	}
	var value map[string]any
	if err := rec.DecodeValue(&value); err != nil {
		t.Fatal(err)
	}
	return value
}

// recordJSON is the whole record as JSON text, for "appears nowhere" checks.
func recordJSON(t *testing.T, rec *emulator.RunRecord) string {
	t.Helper()
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestUndeclaredBindingsAreAbsent(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)

	rec := emulatortest.Run(t, project, "absent", nil, nil, emulator.Options{})

	want := map[string]any{
		"fetch": "function", "secureFetch": "undefined", "env": "undefined", "cache": "undefined",
		"widget": "undefined", "auth": "undefined", "idToken": "undefined", "accessToken": "undefined",
		"m2mToken": "undefined", "mfa": "undefined", "plan": "undefined", "localization": "undefined",
		"console": "undefined", "URLSearchParams": "undefined",
	}
	if got := decodeValue(t, rec); !reflect.DeepEqual(got, want) {
		t.Errorf("binding types = %v\nwant %v", got, want)
	}
}

// statusServer answers with the status given in the query (?status=404),
// a JSON body and an X-Test header.
func statusServer(t *testing.T) *emulatortest.Server {
	return emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		fmt.Sscan(r.URL.Query().Get("status"), &status)
		w.Header().Set("X-Test", "yes")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":%d}`, status)
	})
}

func TestFetchProfiles(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	srv := statusServer(t)

	for _, profile := range emulator.AllProfiles() {
		for _, status := range []int{200, 404} {
			t.Run(fmt.Sprintf("%s/%d", profile.Name(), status), func(t *testing.T) {
				url := fmt.Sprintf("%s/answer?status=%d", srv.URL, status)
				rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": url}, nil, emulator.Options{Profile: profile})
				value := decodeValue(t, rec)
				if rec.Profile != profile.Name() {
					t.Errorf("record profile = %q", rec.Profile)
				}
				body := fmt.Sprintf(`{"status":%d}`, status)

				if status == 404 && profile.NonSuccess == emulator.NonSuccessThrow {
					want := map[string]any{"isError": true, "name": "Error",
						"message": fmt.Sprintf("kinde.fetch: HTTP 404 from POST %s: %s", url, body)}
					if !reflect.DeepEqual(value["thrown"], want) {
						t.Errorf("thrown = %v\nwant %v", value["thrown"], want)
					}
					if rec.Requests[0].Status != 404 || !strings.Contains(rec.Requests[0].Error, "HTTP 404") {
						t.Errorf("request record = %+v", rec.Requests[0])
					}
					return
				}
				answer, _ := value["answer"].(map[string]any)
				wantKeys := []any{"json", "text"}
				if profile.Shape == emulator.ShapeFull {
					wantKeys = []any{"headers", "json", "ok", "status", "text"}
					if answer["status"] != float64(status) || answer["ok"] != (status == 200) {
						t.Errorf("status/ok = %v/%v", answer["status"], answer["ok"])
					}
					headers, _ := answer["headers"].(map[string]any)
					if headers["x-test"] != "yes" || headers["content-type"] != "application/json" {
						t.Errorf("headers = %v, want lower-cased names", headers)
					}
				}
				if !reflect.DeepEqual(value["keys"], wantKeys) {
					t.Errorf("answer keys = %v, want %v", value["keys"], wantKeys)
				}
				if answer["text"] != body || !reflect.DeepEqual(answer["json"], map[string]any{"status": float64(status)}) {
					t.Errorf("answer = %v", answer)
				}
			})
		}
	}
}

func TestParseProfileRoundTripsEveryName(t *testing.T) {
	var names []string
	for _, p := range emulator.AllProfiles() {
		parsed, err := emulator.ParseProfile(p.Name())
		if err != nil || parsed != p {
			t.Errorf("ParseProfile(%q) = %v, %v", p.Name(), parsed, err)
		}
		names = append(names, p.Name())
	}
	if want := []string{"minimal-return", "minimal-throw", "full-return", "full-throw"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v", names)
	}
	if _, err := emulator.ParseProfile("full"); err == nil || !strings.Contains(err.Error(), `unknown profile "full"`) {
		t.Errorf("ParseProfile(full) error = %v", err)
	}
}

func TestThrowProfileTruncatesTheBodyTo2KiB(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	long := strings.Repeat("x", 5000)
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, long)
	})

	rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": srv.URL, "format": "text"}, nil,
		emulator.Options{Profile: emulator.Profile{NonSuccess: emulator.NonSuccessThrow}})

	thrown, _ := decodeValue(t, rec)["thrown"].(map[string]any)
	message, _ := thrown["message"].(string)
	prefix := fmt.Sprintf("kinde.fetch: HTTP 500 from POST %s: ", srv.URL)
	if !strings.HasPrefix(message, prefix) || strings.Count(message, "x") != 2048 {
		t.Errorf("message = %.120q… (%d x), want the prefix and 2048 bytes of body", message, strings.Count(message, "x"))
	}
}

func TestTransportErrorsThrowInEveryProfile(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	srv := emulatortest.NewServer(t, nil)
	srv.Close()

	for _, profile := range emulator.AllProfiles() {
		rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": srv.URL + "/x"}, nil, emulator.Options{Profile: profile})
		thrown, _ := decodeValue(t, rec)["thrown"].(map[string]any)
		message, _ := thrown["message"].(string)
		if !strings.HasPrefix(message, "kinde.fetch POST "+srv.URL+"/x: ") || !strings.Contains(message, "refused") {
			t.Errorf("%s: thrown = %v", profile.Name(), thrown)
		}
		if len(rec.Requests) != 1 || rec.Requests[0].Status != 0 || rec.Requests[0].Error == "" {
			t.Errorf("%s: requests = %+v", profile.Name(), rec.Requests)
		}
	}
}

func TestRoutesSendProductionHostsToLoopback(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"host":"`+r.Host+`"}`)
	})
	routes := []emulator.Route{
		{Host: "cognito-idp.*.amazonaws.com", Target: "http://127.0.0.1:1"},
		srv.Route("*.auth0.com"),
	}
	production := "https://acme.eu.auth0.com/oauth/token?audience=api"

	rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": production}, nil, emulator.Options{Routes: routes})

	answer, _ := decodeValue(t, rec)["answer"].(map[string]any)
	if answer["text"] != `{"host":"acme.eu.auth0.com"}` {
		t.Errorf("answer = %v, want the production Host header at the loopback server", answer)
	}
	got := srv.Requests()
	if len(got) != 1 || got[0].Path != "/oauth/token" || got[0].RawQuery != "audience=api" {
		t.Fatalf("server received %+v", got)
	}
	if tm := rec.Timings; tm.BindingMs <= 0 || tm.BindingMs > tm.ExecuteMs {
		t.Errorf("timings = %+v, want 0 < bindingMs <= executeMs", tm)
	}
	req := rec.Requests[0]
	if req.URL != production || req.RoutedTo != srv.URL+"/oauth/token?audience=api" || req.Route != "*.auth0.com="+srv.URL || req.Status != 200 {
		t.Errorf("request record = %+v", req)
	}
}

func TestUnroutedHostsAreRefused(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)

	rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": "https://login.example.com/token"}, nil, emulator.Options{})

	thrown, _ := decodeValue(t, rec)["thrown"].(map[string]any)
	want := "kinde.fetch POST https://login.example.com/token: no route for host login.example.com: the emulator does not reach the internet; add a route"
	if thrown["message"] != want {
		t.Errorf("thrown message = %q\nwant %q", thrown["message"], want)
	}
	if len(rec.Requests) != 1 || rec.Requests[0].Error != want || rec.Requests[0].Status != 0 {
		t.Errorf("requests = %+v", rec.Requests)
	}
}

func TestInvalidOptionsFailBeforeExecution(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	tests := map[string]emulator.Options{
		"route target":   {Routes: []emulator.Route{{Host: "*.auth0.com", Target: "ftp://x"}}},
		"route pattern":  {Routes: []emulator.Route{{Host: "a*b.com", Target: "http://127.0.0.1:1"}}},
		"short key":      {SecureFetchKey: base64.StdEncoding.EncodeToString([]byte("short"))},
		"key not base64": {SecureFetchKey: "%%%"},
	}
	for name, opts := range tests {
		if _, err := project.Run(t.Context(), "absent", nil, nil, opts); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// openSecureBody decrypts Base64(nonce(12) ‖ tag(16) ‖ ciphertext) with
// AES-256-GCM, written here from the documented layout.
func openSecureBody(t *testing.T, keyB64, body string) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(keyB64)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		t.Fatalf("body is not standard Base64: %v", err)
	}
	if len(raw) < 28 {
		t.Fatalf("body too short: %d bytes", len(raw))
	}
	nonce, tag, ciphertext := raw[:12], raw[12:28], raw[28:]
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := gcm.Open(nil, nonce, append(append([]byte{}, ciphertext...), tag...), nil)
	if err != nil {
		t.Fatalf("decrypting: %v", err)
	}
	return string(plain)
}

func TestSecureFetchEncryptsTheBody(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"accepted":true}`)
	})
	explicitKey := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

	for name, key := range map[string]string{"explicit key": explicitKey, "generated key": ""} {
		t.Run(name, func(t *testing.T) {
			before := len(srv.Requests())
			rec := emulatortest.Run(t, project, "secure", map[string]any{"userId": "kp_1"},
				map[string]string{"SECURE_URL": srv.URL}, emulator.Options{SecureFetchKey: key})
			value := decodeValue(t, rec)
			if !reflect.DeepEqual(value, map[string]any{"first": map[string]any{"accepted": true}, "second": `{"accepted":true}`}) {
				t.Errorf("value = %v", value)
			}
			decryptKey := key
			if key == "" {
				decryptKey = project.SecureFetchKey()
			}
			got := srv.Requests()[before:]
			if len(got) != 2 {
				t.Fatalf("server received %d requests", len(got))
			}
			var object map[string]any
			if err := json.Unmarshal([]byte(openSecureBody(t, decryptKey, got[0].Body)), &object); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(object, map[string]any{"userId": "kp_1", "note": "héllo"}) {
				t.Errorf("first plaintext = %v", object)
			}
			if plain := openSecureBody(t, decryptKey, got[1].Body); plain != "plain text body" {
				t.Errorf("second plaintext = %q", plain)
			}
			if got[0].Method != http.MethodPost || got[0].Header.Get("Content-Type") != "text/plain;charset=UTF-8" || got[0].Header.Get("X-Trace") != "t1" {
				t.Errorf("first request = %s %v", got[0].Method, got[0].Header)
			}
			for i, req := range rec.Requests {
				if req.Binding != "secureFetch" || !req.Encrypted || req.Body != got[i].Body {
					t.Errorf("record %d = %+v, want the ciphertext as sent", i, req)
				}
			}
		})
	}
}

func TestActionBindingsAreRecorded(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)

	rec := emulatortest.Run(t, project, "actions", nil, nil,
		emulator.Options{Localization: map[string]string{"greeting": "Kia ora"}})

	value := decodeValue(t, rec)
	wantValue := map[string]any{
		"accessClaims": map[string]any{"roles": []any{"admin", "dev"}, "level": float64(3)},
		"idClaims":     map[string]any{"legacy_id": "u-42"},
		"greeting":     "Kia ora",
		"missing":      "",
		"bad":          "kinde.widget.invalidateFormField: field (argument 1) must be a string, got number",
	}
	if !reflect.DeepEqual(value, wantValue) {
		t.Errorf("value = %v\nwant %v", value, wantValue)
	}
	var got []string
	for _, a := range rec.Actions {
		got = append(got, a.Kind+" "+string(a.Args))
	}
	want := []string{
		`widget.invalidateFormField ["p_password","Wrong password"]`,
		`auth.denyAccess ["Legacy account locked"]`,
		`idToken.setCustomClaim ["legacy_id","u-42"]`,
		`accessToken.setCustomClaim ["roles",["admin","dev"]]`,
		`accessToken.setCustomClaim ["level",3]`,
		`m2mToken.setCustomClaim ["tenant",{"id":7}]`,
		`mfa.setEnforcementPolicy ["required"]`,
		`plan.denySelection ["Plan not available",{"reason":"region"}]`,
		`plan.denyCancellation ["Contract runs until June"]`,
		`accessToken.getCustomClaims []`,
		`idToken.getCustomClaims []`,
		`localization.get ["greeting"]`,
		`localization.get ["nope"]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("actions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	claims, _ := json.Marshal(rec.Claims)
	if string(claims) != `{"accessToken":{"level":3,"roles":["admin","dev"]},"idToken":{"legacy_id":"u-42"},"m2mToken":{"tenant":{"id":7}}}` {
		t.Errorf("claims = %s", claims)
	}
}

func TestLogsHaveLevelsAndSecretsAreRedacted(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	env := map[string]string{"API_KEY": "sk_live_abc123"}

	rec := emulatortest.Run(t, project, "logging", map[string]any{"note": "note-xyz"}, env,
		emulator.Options{SecretKeys: []string{"API_KEY"}, Redact: []string{"note-xyz"}})

	want := []emulator.LogEntry{
		{Level: "info", Message: `log 1 {"secret":true}`},
		{Level: "info", Message: "info with key [redacted]"},
		{Level: "warn", Message: "warn [redacted]"},
		{Level: "error", Message: `error ["[redacted]"]`},
		{Level: "debug", Message: "debug"},
	}
	if !reflect.DeepEqual(rec.Logs, want) {
		t.Errorf("logs = %+v\nwant %+v", rec.Logs, want)
	}
	if rec.Outcome.Error != "Error: failed with [redacted]" {
		t.Errorf("outcome error = %q", rec.Outcome.Error)
	}
	text := recordJSON(t, rec)
	for _, secret := range []string{"sk_live_abc123", "note-xyz"} {
		if strings.Contains(text, secret) {
			t.Errorf("record contains %q: %s", secret, text)
		}
	}
}

func TestPasswordFieldsAreMaskedInRequestsAndResponses(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"access_token":"at-secret-1","token_type":"Bearer","nested":{"refresh_token":"rt-secret-2"}}`)
	})

	rec := emulatortest.Run(t, project, "fetchProfile",
		map[string]any{"url": srv.URL + "/login", "username": "ada", "password": "correct horse"}, nil, emulator.Options{})

	if got := srv.Requests()[0].Body; !strings.Contains(got, "correct horse") {
		t.Fatalf("server got %q: the real password must be sent", got)
	}
	req := rec.Requests[0]
	if req.Body != `{"password":"[redacted]","username":"ada"}` {
		t.Errorf("recorded body = %s", req.Body)
	}
	if req.ResponseBody != `{"access_token":"[redacted]","token_type":"Bearer","nested":{"refresh_token":"[redacted]"}}` {
		t.Errorf("recorded response = %s", req.ResponseBody)
	}
	// The workflow's own result is not masked by field name: only secret values are.
	text := recordJSON(t, rec)
	if strings.Contains(strings.Replace(text, string(rec.Outcome.Value), "", 1), "at-secret-1") || strings.Contains(text, "correct horse") {
		t.Errorf("record leaks a credential: %s", text)
	}
}

func TestSlowServerIsCutOffAtTheTimeLimit(t *testing.T) {
	project := emulatortest.Load(t, bindingsProject)
	released := make(chan struct{})
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done(): // the emulator hung up
			close(released)
		case <-time.After(time.Minute):
		}
	})

	rec := emulatortest.Run(t, project, "fetchProfile", map[string]any{"url": srv.URL}, nil, emulator.Options{Timeout: 300 * time.Millisecond})

	<-released
	if len(rec.Requests) != 1 || !strings.Contains(rec.Requests[0].Error, "no answer within the run's time limit") {
		t.Fatalf("requests = %+v", rec.Requests)
	}
	if rec.Resolved() {
		thrown, _ := decodeValue(t, rec)["thrown"].(map[string]any)
		if !strings.Contains(fmt.Sprint(thrown["message"]), "time limit") {
			t.Errorf("resolved with %s", rec.Outcome.Value)
		}
	} else if !rec.Outcome.TimedOut {
		t.Errorf("outcome = %+v, want timed out", rec.Outcome)
	}
}
