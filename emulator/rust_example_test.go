package emulator_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

// These tests run the Rust example workflow as `cargo kinde build` committed it to
// its own Kinde project (crates/example-workflow, beside its Cargo.toml), bundled and
// executed the way Kinde does (esbuild 0.24.0, goja).

const exampleID = "rustExample"

// exampleProject loads the example crate's Kinde project, once per test binary.
func exampleProject(t testing.TB) *emulator.Project {
	t.Helper()
	return emulatortest.Load(t, filepath.Join(emulatortest.RepoRoot(t), "crates", "example-workflow"))
}

func exampleEvent(email string) map[string]any {
	return map[string]any{
		"request": map[string]any{"ip": "203.0.113.9", "userAgent": "UA/1"},
		"context": map[string]any{
			"domains": map[string]any{"kindeDomain": "https://acme.kinde.com"},
			"auth": map[string]any{
				"providedEmail":        email,
				"password":             "pw-not-for-logs",
				"hashedPassword":       "$2a$10$notforlogs",
				"hasUserRecordInKinde": false,
			},
			"workflow": map[string]any{"trigger": "user:existing_password_provided"},
		},
	}
}

// echoServer answers {"message": <prefix + email>} or, for big=1, a large message.
func echoServer(t *testing.T, message func(email string) string) *emulatortest.Server {
	return emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Email string `json:"email"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"message": message(body.Email)})
	})
}

func TestRustExampleFetchesLogsAndResolves(t *testing.T) {
	project := exampleProject(t)
	server := echoServer(t, func(email string) string { return "hello " + email })
	env := map[string]string{"EXAMPLE_ENDPOINT_URL": server.URL + "/hello"}

	record := emulatortest.Run(t, project, exampleID, exampleEvent("ada@example.com"), env, emulator.Options{})
	if !record.Resolved() {
		t.Fatalf("rejected: %s\n%s", record.Outcome.Error, record.Outcome.Stack)
	}
	var value struct {
		Message              string `json:"message"`
		HasUserRecordInKinde bool   `json:"hasUserRecordInKinde"`
	}
	if err := record.DecodeValue(&value); err != nil {
		t.Fatal(err)
	}
	if value.Message != "hello ada@example.com" || value.HasUserRecordInKinde {
		t.Fatalf("resolved with %+v", value)
	}

	requests := server.Requests()
	if len(requests) != 1 {
		t.Fatalf("want 1 request, got %d", len(requests))
	}
	got := requests[0]
	if got.Method != http.MethodPost || got.Path != "/hello" {
		t.Fatalf("request %s %s", got.Method, got.Path)
	}
	if got.Body != `{"email":"ada@example.com","userAgent":"UA/1"}` {
		t.Fatalf("body %s", got.Body)
	}
	if record.Requests[0].Headers["Content-Type"] != "application/json" {
		t.Fatalf("headers %v", record.Requests[0].Headers)
	}

	wantLogs := []string{"rust example: checking ada@example.com", "rust example: endpoint answered 21 bytes"}
	if len(record.Logs) != len(wantLogs) {
		t.Fatalf("logs %+v", record.Logs)
	}
	for i, want := range wantLogs {
		if record.Logs[i].Message != want || record.Logs[i].Level != "info" {
			t.Fatalf("log %d: %+v, want %q", i, record.Logs[i], want)
		}
	}
	assertNoSecrets(t, record)
}

func TestRustExampleRejectsAMalformedEventNamingTheField(t *testing.T) {
	project := exampleProject(t)
	event := exampleEvent("ada@example.com")
	delete(event["context"].(map[string]any)["auth"].(map[string]any), "providedEmail")

	record := emulatortest.Run(t, project, exampleID, event, map[string]string{}, emulator.Options{})
	if record.Resolved() {
		t.Fatal("resolved a malformed event")
	}
	want := "invalid event at `context.auth.providedEmail`: missing field"
	if !strings.Contains(record.Outcome.Error, want) {
		t.Fatalf("error %q does not contain %q", record.Outcome.Error, want)
	}
}

func TestRustExampleNamesAMissingEnvironmentVariable(t *testing.T) {
	project := exampleProject(t)
	record := emulatortest.Run(t, project, exampleID, exampleEvent("ada@example.com"), map[string]string{}, emulator.Options{})
	want := "environment variable `EXAMPLE_ENDPOINT_URL` is not set"
	if record.Resolved() || !strings.Contains(record.Outcome.Error, want) {
		t.Fatalf("outcome %+v, want rejection with %q", record.Outcome, want)
	}
}

func TestRustExamplePanicRejectsWithItsMessageInTheLog(t *testing.T) {
	project := exampleProject(t)
	env := map[string]string{"EXAMPLE_PANIC": "1", "EXAMPLE_ENDPOINT_URL": "http://127.0.0.1:9/unused"}

	record := emulatortest.Run(t, project, exampleID, exampleEvent("ada@example.com"), env, emulator.Options{})
	want := "workflow panicked: deliberate panic for ada@example.com (at crates/example-workflow/src/lib.rs:"
	if record.Resolved() || !strings.Contains(record.Outcome.Error, want) {
		t.Fatalf("outcome %+v, want rejection with %q", record.Outcome, want)
	}
	if record.Outcome.TimedOut {
		t.Fatal("a panic must reject, not hang until the time limit")
	}
	logged := false
	for _, entry := range record.Logs {
		logged = logged || (entry.Level == "error" && strings.Contains(entry.Message, want))
	}
	if !logged {
		t.Fatalf("panic message not logged at error level: %+v", record.Logs)
	}
	if len(record.Requests) != 0 {
		t.Fatalf("requests after the panic: %+v", record.Requests)
	}
}

func TestRustExampleRoundTripsAPayloadThatGrowsMemory(t *testing.T) {
	project := exampleProject(t)
	// 600 KB of mixed 1-, 2-, 3- and 4-byte UTF-8, held several times over (response,
	// parsed JSON, result): beyond the module's initial memory, so wasm2js must grow
	// it while the glue holds views of the old buffer.
	big := strings.Repeat("aé€😀-0123456789", 30_000)
	server := echoServer(t, func(string) string { return big })
	env := map[string]string{"EXAMPLE_ENDPOINT_URL": server.URL}

	record := emulatortest.Run(t, project, exampleID, exampleEvent("ada@example.com"), env, emulator.Options{Timeout: 60 * time.Second})
	if !record.Resolved() {
		t.Fatalf("rejected: %s", record.Outcome.Error)
	}
	var value struct {
		Message string `json:"message"`
	}
	if err := record.DecodeValue(&value); err != nil {
		t.Fatal(err)
	}
	if value.Message != big {
		t.Fatalf("payload corrupted: got %d bytes, want %d", len(value.Message), len(big))
	}
}

// assertNoSecrets fails if the event's password or hash reached the record.
func assertNoSecrets(t *testing.T, record *emulator.RunRecord) {
	t.Helper()
	text, err := json.Marshal(record)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"pw-not-for-logs", "notforlogs"} {
		if strings.Contains(string(text), secret) {
			t.Fatalf("run record contains a secret: %s", text)
		}
	}
}

func TestRustExampleRecoversFromAPanicInTheSameVM(t *testing.T) {
	project := exampleProject(t)
	server := echoServer(t, func(email string) string { return "hello " + email })
	event, err := json.Marshal(exampleEvent("ada@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	calls := []emulator.Call{
		{Event: event, Env: map[string]string{"EXAMPLE_PANIC": "1", "EXAMPLE_ENDPOINT_URL": server.URL}},
		{Event: event, Env: map[string]string{"EXAMPLE_ENDPOINT_URL": server.URL}},
		{Event: event, Env: map[string]string{"EXAMPLE_ENDPOINT_URL": server.URL}},
	}

	records, err := project.RunSequence(t.Context(), exampleID, calls, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if records[0].Resolved() || !strings.Contains(records[0].Outcome.Error, "deliberate panic for ada@example.com") {
		t.Fatalf("first call: %+v, want the panic", records[0].Outcome)
	}
	for i, record := range records[1:] {
		if !record.Resolved() {
			t.Fatalf("call %d after the panic rejected: %s", i+2, record.Outcome.Error)
		}
		var value struct {
			Message string `json:"message"`
		}
		if err := record.DecodeValue(&value); err != nil || value.Message != "hello ada@example.com" {
			t.Fatalf("call %d resolved with %s (%v)", i+2, record.Outcome.Value, err)
		}
	}
	if got := len(server.Requests()); got != 2 {
		t.Fatalf("server received %d requests, want 2 (none from the panicking call)", got)
	}
}
