package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

const project = "../../testdata/project"

// runCLI runs the command line and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunResolvedExitsZero(t *testing.T) {
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ok":true,"email":"e"}`))
	})
	env := writeFile(t, "env.json", `{"API_URL":"`+srv.URL+`","API_TOKEN":"tok"}`)
	event := `{"context":{"auth":{"providedEmail":"a@b.c","password":"p"}}}`

	code, stdout, stderr := runCLI(t, event, "run", "--project", project, "--workflow", "fetchEnv", "--event", "-", "--env", env, "--timeout", "3s", "--json")

	if code != exitResolved {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, stderr, stdout)
	}
	var rec emulator.RunRecord
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
		t.Fatalf("stdout is not a run record: %v\n%s", err, stdout)
	}
	if rec.WorkflowID != "fetchEnv" || !rec.Resolved() || len(rec.Requests) != 2 || len(srv.Requests()) != 2 {
		t.Errorf("record = %+v", rec)
	}
}

func TestRunRejectedExitsOne(t *testing.T) {
	event := writeFile(t, "event.json", `{}`)

	code, stdout, _ := runCLI(t, "", "run", "--project", project, "--workflow", "throws", "--event", event, "--json")

	if code != exitRejected {
		t.Fatalf("exit %d, want %d", code, exitRejected)
	}
	var rec emulator.RunRecord
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Outcome.Error != "Error: legacy provider exploded" {
		t.Errorf("outcome = %+v", rec.Outcome)
	}
}

func TestUsageAndBundlingErrorsExitTwo(t *testing.T) {
	event := writeFile(t, "event.json", `{}`)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no command", nil, "usage:"},
		{"unknown command", []string{"deploy"}, `unknown command "deploy"`},
		{"missing flags", []string{"run", "--project", project}, "run needs --project, --workflow and --event"},
		{"bad flag", []string{"list", "--nope"}, "flag provided but not defined"},
		{"unknown workflow", []string{"run", "--project", project, "--workflow", "nope", "--event", event}, `no workflow with id "nope"`},
		{"top-level kinde access", []string{"list", "--project", "../../testdata/toplevel"}, "kinde is not defined"},
		{"bad event JSON", []string{"run", "--project", project, "--workflow", "throws", "--event", writeFile(t, "bad.json", "{")}, "event is not valid JSON"},
		{"unknown profile", []string{"run", "--project", project, "--workflow", "throws", "--event", event, "--profile", "loud"}, `unknown profile "loud"`},
		{"bad route", []string{"run", "--project", project, "--workflow", "throws", "--event", event, "--route", "*.auth0.com"}, "want PATTERN=URL"},
		{"bad route target", []string{"run", "--project", project, "--workflow", "throws", "--event", event, "--route", "x.com=ftp://h"}, "must be an http(s) base URL"},
		{"bad env line", []string{"run", "--project", project, "--workflow", "throws", "--event", event, "--env", writeFile(t, "env", "A=1\nnonsense\n")}, "line 2: want KEY=VALUE"},
		{"bad secure fetch key", []string{"run", "--project", project, "--workflow", "throws", "--event", event, "--secure-fetch-key", "c2hvcnQ="}, "must decode to 32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantErr)
			}
			if tt.args != nil && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
		})
	}
}

func TestListPrintsWorkflows(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "list", "--project", project)

	if code != exitResolved {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var listed []listedWorkflow
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil {
		t.Fatal(err)
	}
	triggers := map[string]string{}
	for _, wf := range listed {
		triggers[wf.ID] = wf.Trigger
	}
	if len(listed) != 6 || triggers["fetchEnv"] != "user:existing_password_provided" || triggers["wasmShim"] != "user:tokens_generation" {
		t.Errorf("listed = %+v", listed)
	}
}

func TestRunPrintsAReadableRecordByDefault(t *testing.T) {
	event := writeFile(t, "event.json", `{}`)

	code, stdout, _ := runCLI(t, "", "run", "--project", project, "--workflow", "throws", "--event", event, "--no-timings")

	want := "workflow throws (profile minimal-return)\n" +
		"outcome: rejected Error: legacy provider exploded\n"
	if code != exitRejected || !strings.HasPrefix(stdout, want) {
		t.Fatalf("exit %d, stdout:\n%s", code, stdout)
	}
	if !strings.Contains(stdout, "logs:\n  [info] about to throw\n") || strings.Contains(stdout, "timings:") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func TestRunJSONWithoutTimingsIsStable(t *testing.T) {
	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ok":true,"email":"e"}`))
	})
	// KEY=VALUE lines; secret: marks API_TOKEN as secret. A route sends the
	// production host api.legacy.example to the loopback server.
	env := writeFile(t, "env", "# fixture\nAPI_URL=https://api.legacy.example\nsecret:API_TOKEN=tok-123\n")
	event := writeFile(t, "event.json", `{"context":{"auth":{"providedEmail":"a@b.c","password":"p4ss"}}}`)
	args := []string{"run", "--project", project, "--workflow", "fetchEnv", "--event", event, "--env", env,
		"--route", "api.legacy.example=" + srv.URL, "--profile", "full-return", "--json", "--no-timings"}

	code, first, stderr := runCLI(t, "", args...)
	if code != exitResolved {
		t.Fatalf("exit %d: %s%s", code, stderr, first)
	}
	_, second, _ := runCLI(t, "", args...)
	// The loopback port differs between servers but not between these runs.
	if first != second {
		t.Errorf("output differs between runs:\n%s\n%s", first, second)
	}
	for _, leak := range []string{"tok-123", "p4ss", "timings"} {
		if strings.Contains(first, leak) {
			t.Errorf("output contains %q:\n%s", leak, first)
		}
	}
	var rec emulator.RunRecord
	if err := json.Unmarshal([]byte(first), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Profile != "full-return" || rec.Requests[0].URL != "https://api.legacy.example/check?source=emulator" ||
		rec.Requests[0].RoutedTo != srv.URL+"/check?source=emulator" || len(srv.Requests()) != 4 {
		t.Errorf("record = %+v", rec)
	}
	if !strings.Contains(first, `"message": "token is secret: true"`) {
		t.Errorf("secret: prefix did not mark API_TOKEN as secret:\n%s", first)
	}
}
