package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

const fixtureProject = "testdata/project"

var passwordEvent = map[string]any{
	"context": map[string]any{
		"auth": map[string]any{"providedEmail": "ada@example.com", "password": "hunter2"},
	},
}

func TestLoadDiscoversWorkflowsWithSettings(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	var ids []string
	for _, wf := range project.Workflows {
		ids = append(ids, wf.ID)
	}
	want := []string{"fetchEnv", "hangs", "spins", "throws", "undeclared", "wasmShim"}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("workflow ids = %v, want %v", ids, want)
	}
	if project.RootDir != "kindeSrc" || project.Version != "2024-12-09" {
		t.Errorf("configuration = rootDir %q version %q", project.RootDir, project.Version)
	}

	wf, ok := project.Workflow("fetchEnv")
	if !ok {
		t.Fatal("fetchEnv not found")
	}
	if wf.Trigger != "user:existing_password_provided" {
		t.Errorf("trigger = %q", wf.Trigger)
	}
	wantBindings := map[string]map[string]any{"kinde.fetch": {}, "kinde.env": {}, "console": {}, "url": {}}
	if !reflect.DeepEqual(wf.Bindings, wantBindings) {
		t.Errorf("bindings = %v, want %v", wf.Bindings, wantBindings)
	}
	if got := wf.Settings["failurePolicy"]; !reflect.DeepEqual(got, map[string]any{"action": "stop"}) {
		t.Errorf("settings.failurePolicy = %v", got)
	}
	if !strings.Contains(string(wf.Bundle), "sourceMappingURL=data:application/json") {
		t.Error("bundle has no inline source map")
	}
}

func TestFetchEnvWorkflowResolves(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/check" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"ok":true,"email":"from-server@example.com"}`))
			return
		}
		w.Write([]byte("form accepted"))
	})
	env := map[string]string{"API_URL": srv.URL, "API_TOKEN": "t0ken"}

	rec := emulatortest.Run(t, project, "fetchEnv", passwordEvent, env,
		emulator.Options{Timeout: 5 * time.Second, SecretKeys: []string{"API_TOKEN"}})

	if !rec.Resolved() {
		t.Fatalf("outcome = %+v, want resolved", rec.Outcome)
	}
	var value map[string]any
	if err := rec.DecodeValue(&value); err != nil {
		t.Fatal(err)
	}
	wantValue := map[string]any{
		"ok":        true,
		"echoed":    "from-server@example.com",
		"checkText": `{"ok":true,"email":"from-server@example.com"}`,
		"formJson":  nil,
		"formText":  "form accepted",
		"missing":   "undefined",
	}
	if !reflect.DeepEqual(value, wantValue) {
		t.Errorf("value = %v\nwant    %v", value, wantValue)
	}

	wantLogs := []emulator.LogEntry{
		{Level: "info", Message: `checking ada@example.com {"attempt":1}`},
		{Level: "warn", Message: "token is secret: true"},
		{Level: "error", Message: "done 2"},
	}
	if !reflect.DeepEqual(rec.Logs, wantLogs) {
		t.Errorf("logs = %+v\nwant   %+v", rec.Logs, wantLogs)
	}

	received := srv.Requests()
	if len(received) != 2 {
		t.Fatalf("server received %d requests, want 2", len(received))
	}
	check := received[0]
	if check.Method != http.MethodPost || check.Path != "/check" || check.RawQuery != "source=emulator" {
		t.Errorf("first request = %s %s?%s", check.Method, check.Path, check.RawQuery)
	}
	if got := check.Header.Get("Authorization"); got != "Bearer t0ken" {
		t.Errorf("Authorization = %q", got)
	}
	if got := check.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(check.Body), &sent); err != nil {
		t.Fatalf("check body %q: %v", check.Body, err)
	}
	if !reflect.DeepEqual(sent, map[string]any{"email": "ada@example.com", "password": "hunter2"}) {
		t.Errorf("check body = %v", sent)
	}
	form := received[1]
	if form.Method != http.MethodPost || form.Path != "/form" {
		t.Errorf("second request = %s %s", form.Method, form.Path)
	}
	if got := form.Header.Get("Content-Type"); !strings.HasPrefix(got, "application/x-www-form-urlencoded") {
		t.Errorf("form Content-Type = %q", got)
	}
	if values, err := url.ParseQuery(form.Body); err != nil || values.Get("username") != "ada@example.com" || values.Get("grant_type") != "password" {
		t.Errorf("form body = %q (%v)", form.Body, err)
	}

	if len(rec.Requests) != 2 {
		t.Fatalf("record has %d requests, want 2", len(rec.Requests))
	}
	first := rec.Requests[0]
	wantBody := `{"email":"ada@example.com","password":"[redacted]"}`
	if first.Method != "POST" || first.URL != srv.URL+"/check?source=emulator" || first.Body != wantBody || first.Status != 200 {
		t.Errorf("recorded request = %+v", first)
	}
	if first.Headers["Authorization"] != "[redacted]" {
		t.Errorf("recorded headers = %v, want the Authorization value masked", first.Headers)
	}
	if rec.Requests[1].Method != "POST" {
		t.Errorf("lower-case method not normalised: %q", rec.Requests[1].Method)
	}
}

func TestFetchTransportErrorIsThrownIntoJS(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	srv := emulatortest.NewServer(t, nil)
	srv.Close() // nothing listens on this address any more

	rec := emulatortest.Run(t, project, "fetchEnv", passwordEvent,
		map[string]string{"API_URL": srv.URL, "API_TOKEN": "x"}, emulator.Options{})

	if rec.Resolved() {
		t.Fatalf("outcome = %+v, want rejected", rec.Outcome)
	}
	if !strings.Contains(rec.Outcome.Error, "kinde.fetch POST") {
		t.Errorf("error = %q, want it to name the failed kinde.fetch", rec.Outcome.Error)
	}
	if len(rec.Requests) != 1 || rec.Requests[0].Error == "" || rec.Requests[0].Status != 0 {
		t.Errorf("requests = %+v, want one failed request", rec.Requests)
	}
}

func TestWebAssemblyShimFailsAsInGoja(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	rec := emulatortest.Run(t, project, "wasmShim", nil, nil, emulator.Options{})

	if rec.Resolved() {
		t.Fatalf("outcome = %+v: goja has no WebAssembly, the shim must fail", rec.Outcome)
	}
	if rec.Outcome.Error != "ReferenceError: WebAssembly is not defined" {
		t.Errorf("error = %q", rec.Outcome.Error)
	}
	if len(rec.Logs) != 0 {
		t.Errorf("logs = %v, want none", rec.Logs)
	}
}

func TestTopLevelKindeAccessFailsDiscovery(t *testing.T) {
	_, err := emulator.Load("testdata/toplevel")

	var discovery *emulator.DiscoveryError
	if !errors.As(err, &discovery) {
		t.Fatalf("Load error = %v, want a *DiscoveryError", err)
	}
	if len(discovery.Problems) != 1 || !strings.Contains(discovery.Problems[0], "ReferenceError: kinde is not defined") {
		t.Errorf("problems = %q", discovery.Problems)
	}
}

func TestDuplicateIDsFailDiscovery(t *testing.T) {
	_, err := emulator.Load("testdata/duplicates")

	if err == nil || !strings.Contains(err.Error(), `duplicate workflow id "same"`) {
		t.Fatalf("Load error = %v, want a duplicate id problem", err)
	}
}

func TestThrowingWorkflowRejectsWithMessage(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	rec := emulatortest.Run(t, project, "throws", nil, nil, emulator.Options{})

	if rec.Outcome.Status != emulator.StatusRejected || rec.Outcome.TimedOut {
		t.Fatalf("outcome = %+v, want rejected", rec.Outcome)
	}
	if rec.Outcome.Error != "Error: legacy provider exploded" {
		t.Errorf("error = %q", rec.Outcome.Error)
	}
	// The runtime returns the JS stack, mapped back through the inline source map.
	if !strings.Contains(rec.Outcome.Stack, "at checkLegacy (../Workflow.ts:8:") {
		t.Errorf("stack = %q", rec.Outcome.Stack)
	}
	if len(rec.Outcome.Value) != 0 {
		t.Errorf("rejected outcome carries a value: %s", rec.Outcome.Value)
	}
	if want := []emulator.LogEntry{{Level: "info", Message: "about to throw"}}; !reflect.DeepEqual(rec.Logs, want) {
		t.Errorf("logs = %v, want %v", rec.Logs, want)
	}
}

func TestUndeclaredBindingIsNotDefined(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	rec := emulatortest.Run(t, project, "undeclared", nil, map[string]string{"API_URL": "x"}, emulator.Options{})

	if rec.Resolved() || !strings.HasPrefix(rec.Outcome.Error, "ReferenceError: kinde is not defined") {
		t.Fatalf("outcome = %+v, want ReferenceError for kinde", rec.Outcome)
	}
}

func TestNeverSettlingPromiseIsStoppedByTimeLimit(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	started := time.Now()

	rec := emulatortest.Run(t, project, "hangs", nil, nil, emulator.Options{Timeout: 200 * time.Millisecond})

	if elapsed := time.Since(started); elapsed > 2*time.Second {
		t.Errorf("run took %v, want it stopped shortly after 200ms", elapsed)
	}
	if rec.Resolved() || !rec.Outcome.TimedOut || rec.Outcome.Error != "execution time exceeded" {
		t.Fatalf("outcome = %+v, want a timed-out rejection", rec.Outcome)
	}
	if want := []emulator.LogEntry{{Level: "info", Message: "waiting forever"}}; !reflect.DeepEqual(rec.Logs, want) {
		t.Errorf("logs = %v, want %v", rec.Logs, want)
	}
}

func TestBusyLoopIsInterruptedByRuntime(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	rec := emulatortest.Run(t, project, "spins", nil, nil, emulator.Options{Timeout: 200 * time.Millisecond})

	if rec.Resolved() || !rec.Outcome.TimedOut {
		t.Fatalf("outcome = %+v, want a timed-out rejection", rec.Outcome)
	}
	// vm.Interrupt stops running JS, so the message carries the position.
	if !strings.HasPrefix(rec.Outcome.Error, "execution time exceeded at ") {
		t.Errorf("error = %q", rec.Outcome.Error)
	}
	if rec.Timings.ExecuteMs < 200 {
		t.Errorf("executeMs = %v, want at least the time limit", rec.Timings.ExecuteMs)
	}
}

func TestRunRecordJSONShape(t *testing.T) {
	rec, err := emulator.Run(context.Background(), fixtureProject, "throws", []byte(`{}`), nil, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var decoded map[string]any
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"workflowId", "profile", "outcome", "logs", "requests", "actions", "timings"} {
		if _, ok := decoded[key]; !ok {
			t.Errorf("record JSON lacks %q: %s", key, data)
		}
	}
	outcome := decoded["outcome"].(map[string]any)
	if outcome["status"] != "rejected" || outcome["error"] != "Error: legacy provider exploded" {
		t.Errorf("outcome JSON = %v", outcome)
	}
	timings := rec.Timings
	if timings.CompileMs <= 0 || timings.TotalMs < timings.CompileMs || timings.ExecuteMs <= 0 || timings.BindingMs != 0 {
		t.Errorf("timings = %+v, want total >= compile > 0, execute > 0 and no binding time", timings)
	}
}

func TestRunErrorsBeforeExecution(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	ctx := context.Background()

	if _, err := project.Run(ctx, "nope", nil, nil, emulator.Options{}); err == nil {
		t.Error("unknown workflow id: want an error")
	}
	if _, err := project.Run(ctx, "throws", []byte("{not json"), nil, emulator.Options{}); err == nil {
		t.Error("invalid event JSON: want an error")
	}
	if _, err := emulator.Load("testdata/does-not-exist"); err == nil {
		t.Error("missing project dir: want an error")
	}
}
