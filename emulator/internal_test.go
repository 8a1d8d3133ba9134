package emulator

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"kindewasm/emulator/internal/kinderuntime"
)

func TestFormatLogArgs(t *testing.T) {
	tests := []struct {
		name string
		args []any
		want string
	}{
		{"strings joined by spaces", []any{"a", "b c"}, "a b c"},
		{"numbers and booleans", []any{"n", int64(3), 1.5, true}, "n 3 1.5 true"},
		{"objects as JSON", []any{map[string]any{"k": []any{int64(1), "x"}}}, `{"k":[1,"x"]}`},
		{"undefined and null", []any{nil}, "null"},
		{"not JSON-encodable", []any{math.NaN()}, "NaN"},
		{"functions", []any{"f", func(...any) (any, error) { return nil, nil }}, "f [Function]"},
		{"no arguments", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatLogArgs(tt.args); got != tt.want {
				t.Errorf("formatLogArgs(%v) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestUnsupportedBindings(t *testing.T) {
	declared := map[string]kinderuntime.BindingSettings{
		"console": {}, "url": {}, "util": {}, "module": {},
		"kinde": {}, "kinde.fetch": {}, "kinde.env": {}, "kinde.env.get": {},
		"kinde.secureFetch": {}, "kinde.widget": {}, "kinde.env.set": {}, "crypto": {},
	}
	want := []string{"crypto", "kinde.env.set"}
	project := &Project{}
	project.runtime = project.newRuntime()
	if got := project.unsupportedBindings(declared); !reflect.DeepEqual(got, want) {
		t.Errorf("unsupportedBindings = %v, want %v", got, want)
	}
}

func TestEncodeBody(t *testing.T) {
	tests := []struct {
		name        string
		body        any
		wantBody    string
		wantType    string
		wantFailure bool
	}{
		{"absent", nil, "", "", false},
		{"string kept as is", `{"a":1}`, `{"a":1}`, "", false},
		{"object as JSON", map[string]any{"a": int64(1)}, `{"a":1}`, "application/json", false},
		{"array as JSON", []any{"x"}, `["x"]`, "application/json", false},
		{"number refused", 3.0, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, contentType, err := encodeBody(tt.body)
			if (err != nil) != tt.wantFailure {
				t.Fatalf("err = %v, want failure %v", err, tt.wantFailure)
			}
			if body != tt.wantBody || contentType != tt.wantType {
				t.Errorf("encodeBody = %q, %q; want %q, %q", body, contentType, tt.wantBody, tt.wantType)
			}
		})
	}
}

func TestEnvBinding(t *testing.T) {
	setup, err := (&Project{}).runSetup(Options{SecretKeys: []string{"S"}, SecureFetchKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	run := setup.newRunState(map[string]string{"A": "1", "S": "s"})
	cases := map[string]any{
		"A":       map[string]any{"value": "1", "isSecret": false},
		"S":       map[string]any{"value": "s", "isSecret": true},
		"MISSING": undefined,
	}
	for key, want := range cases {
		got, err := envBinding(context.Background(), run, []any{key})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("env.get(%q) = %v, %v; want %v", key, got, err, want)
		}
	}
}

// testKey is a valid Base64 AES-256 key (32 zero bytes).
const testKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

func TestRouteMatching(t *testing.T) {
	routes, err := compileRoutes([]Route{
		{Host: "acme.kinde.com", Target: "http://127.0.0.1:1"},
		{Host: "*.auth0.com", Target: "http://127.0.0.1:2/auth0"},
		{Host: "cognito-idp.*.amazonaws.com", Target: "http://127.0.0.1:3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, want, wantErr string
	}{
		{"https://ACME.kinde.com/oauth2/token", "http://127.0.0.1:1/oauth2/token", ""},
		{"https://tenant.eu.auth0.com/oauth/token?a=b", "http://127.0.0.1:2/auth0/oauth/token?a=b", ""},
		{"https://cognito-idp.eu-west-1.amazonaws.com/", "http://127.0.0.1:3/", ""},
		{"http://127.0.0.1:9/x", "http://127.0.0.1:9/x", ""},
		{"http://localhost:9/x", "http://localhost:9/x", ""},
		{"https://auth0.com/", "", "no route for host auth0.com"},
		{"https://cognito-idp.a.b.amazonaws.com/", "", "no route for host cognito-idp.a.b.amazonaws.com"},
		{"https://other.kinde.com/", "", "no route for host other.kinde.com: the emulator does not reach the internet; add a route"},
		{"ftp://acme.kinde.com/", "", "scheme must be http or https"},
	}
	for _, tt := range tests {
		dest, err := resolve(routes, tt.url)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("resolve(%s) error = %v, want %q", tt.url, err, tt.wantErr)
			}
			continue
		}
		if err != nil || dest.url.String() != tt.want {
			t.Errorf("resolve(%s) = %v, %v; want %s", tt.url, dest.url, err, tt.want)
		}
	}
	for _, bad := range []Route{{Host: "", Target: "http://h"}, {Host: "a*.com", Target: "http://h"}, {Host: "a.com", Target: "h:1"}, {Host: "a.com", Target: "http://h?q=1"}} {
		if _, err := compileRoutes([]Route{bad}); err == nil {
			t.Errorf("compileRoutes(%+v): want an error", bad)
		}
	}
}

func TestMasking(t *testing.T) {
	r := newRedactor([]string{"s3cr\"et", "tk-9"})
	tests := []struct {
		name, got, want string
	}{
		{"JSON fields keep order", r.body(`{"z":1,"password":"p","a":{"client_secret":{"x":1},"token_type":"Bearer"},"list":[{"IdToken":"t"}]}`),
			`{"z":1,"password":"[redacted]","a":{"client_secret":"[redacted]","token_type":"Bearer"},"list":[{"IdToken":"[redacted]"}]}`},
		{"form fields", r.body("username=ada&password=p%20w&SECRET_HASH=abc&grant_type=password"),
			"username=ada&password=[redacted]&SECRET_HASH=[redacted]&grant_type=password"},
		{"secret values anywhere", r.body("say s3cr\"et and tk-9"), "say [redacted] and [redacted]"},
		{"JSON-escaped secret", r.text(`{"v":"s3cr\"et"}`), `{"v":"[redacted]"}`},
		{"query parameters", r.url("https://h/p?refresh_token=abc&x=1"), "https://h/p?refresh_token=[redacted]&x=1"},
		{"authorization header", r.header("Authorization", "Basic xyz"), Redacted},
		{"cookie header", r.header("cookie", "a=b"), Redacted},
		{"plain header with a secret", r.header("X-Note", "tk-9!"), "[redacted]!"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s\nwant %s", tt.name, tt.got, tt.want)
		}
	}
	for name, want := range map[string]bool{
		"hashed_password": true, "client_secret": true, "refresh_token": true, "mfa_token": true,
		"AccessToken": true, "token": true, "token_type": false, "expires_in": false, "username": false,
	} {
		if isSensitiveName(name) != want {
			t.Errorf("isSensitiveName(%q) = %v", name, !want)
		}
	}
}

func TestFormatRecord(t *testing.T) {
	rec := &RunRecord{
		WorkflowID: "wf",
		Profile:    "full-throw",
		Outcome:    Outcome{Status: StatusRejected, Error: "Error: x", Stack: "Error: x\n\tat f (Workflow.ts:1:1(2))"},
		Logs:       []LogEntry{{Level: "warn", Message: "careful"}},
		Requests: []RequestRecord{
			{Binding: "fetch", Method: "POST", URL: "https://a.auth0.com/t", RoutedTo: "http://127.0.0.1:1/t", Status: 403, Error: "kinde.fetch: HTTP 403"},
			{Binding: "secureFetch", Method: "POST", URL: "http://127.0.0.1:2/s", Encrypted: true, Error: "refused"},
		},
		Actions:      []Action{{Kind: "auth.denyAccess", Args: json.RawMessage(`["no"]`)}},
		Claims:       map[string]map[string]json.RawMessage{"idToken": {"a": json.RawMessage(`1`)}},
		CacheLookups: []CacheLookup{{Key: "k", Result: "expired", Refreshed: true}},
		Timings:      &Timings{TotalMs: 3, CompileMs: 1, ExecuteMs: 2, BindingMs: 0.5},
	}
	var out strings.Builder
	if err := FormatRecord(&out, rec); err != nil {
		t.Fatal(err)
	}
	want := `workflow wf (profile full-throw)
outcome: rejected Error: x
stack:
  Error: x
  at f (Workflow.ts:1:1(2))
logs:
  [warn] careful
requests:
  POST https://a.auth0.com/t -> 403 (routed to http://127.0.0.1:1/t): kinde.fetch: HTTP 403
  POST http://127.0.0.1:2/s -> no answer [encrypted] [secureFetch]: refused
actions:
  auth.denyAccess ["no"]
claims:
  idToken {"a":1}
cache:
  jwtToken k: expired, refreshed
timings: total 3.0 ms, compile 1.0 ms, execute 2.0 ms (bindings 0.5 ms)
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
