package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kindewasm/emulator"
)

// The floor compares the Rust example with its TypeScript twin: these tests
// prove they are twins (same request, logs, value and errors) by running each
// once against the loopback endpoint the benchmark uses.

// logPrefixes are the workflows' names at the start of their log lines.
var logPrefixes = [2]string{rust: "rust example: ", typeScript: "example reference: "}

func loadFloor(t *testing.T) [2]*target {
	t.Helper()
	targets, err := loadFloorTargets(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return targets
}

func startEndpoint(t *testing.T, answer func(email string) any) *floorEndpoint {
	t.Helper()
	endpoint, err := startFloorEndpoint(answer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = endpoint.Close() })
	return endpoint
}

func greet(email string) any { return map[string]string{"message": greeting(email)} }

func TestFloorWorkflowsResolveAlikeAndSendTheSameRequest(t *testing.T) {
	endpoint := startEndpoint(t, greet)
	f := &floorRunner{ctx: context.Background(), targets: loadFloor(t), endpoint: endpoint}
	var records [2]*emulator.RunRecord
	for _, lang := range []language{rust, typeScript} {
		rec, err := f.run(lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		records[lang] = rec
	}

	want := map[string]any{"message": "hello ada@example.com", "hasUserRecordInKinde": false}
	for lang, rec := range records {
		var value map[string]any
		if err := rec.DecodeValue(&value); err != nil || !reflect.DeepEqual(value, want) {
			t.Errorf("%s resolved with %s (%v), want %v", language(lang), rec.Outcome.Value, err, want)
		}
	}

	wantRequest := endpointRequest{
		Method: "POST", Path: endpointPath, ContentType: "application/json",
		Body: `{"email":"ada@example.com","userAgent":"Mozilla/5.0 (kinde-bench)"}`,
	}
	received := endpoint.Requests()
	if len(received) != 2 || received[0] != wantRequest || received[1] != wantRequest {
		t.Errorf("the endpoint received %+v, want twice %+v", received, wantRequest)
	}
	rustSent, tsSent := records[rust].Requests, records[typeScript].Requests
	if len(rustSent) != 1 || len(tsSent) != 1 {
		t.Fatalf("recorded requests: Rust %+v, TypeScript %+v; want one each", rustSent, tsSent)
	}
	if !reflect.DeepEqual(rustSent[0], tsSent[0]) {
		t.Errorf("recorded requests differ:\nRust       %+v\nTypeScript %+v", rustSent[0], tsSent[0])
	}

	wantLogs := []string{"checking ada@example.com", "endpoint answered 21 bytes"}
	for lang, rec := range records {
		var got []string
		for _, entry := range rec.Logs {
			got = append(got, entry.Level+" "+strings.TrimPrefix(entry.Message, logPrefixes[lang]))
		}
		if len(got) != len(wantLogs) || got[0] != "info "+wantLogs[0] || got[1] != "info "+wantLogs[1] {
			t.Errorf("%s logged %q, want %q at info level after %q", language(lang), got, wantLogs, logPrefixes[lang])
		}
	}
}

func TestFloorWorkflowsCountTheMessageInUTF8Bytes(t *testing.T) {
	// 1-, 2-, 3- and 4-byte characters: Rust counts bytes, JavaScript strings
	// count UTF-16 units, so the twin must convert.
	message := "aé€😀"
	endpoint := startEndpoint(t, func(string) any { return map[string]string{"message": message} })
	targets := loadFloor(t)
	for _, lang := range []language{rust, typeScript} {
		rec := runOnce(t, targets[lang], endpoint.env())
		want := logPrefixes[lang] + "endpoint answered 10 bytes"
		if !rec.Resolved() || len(rec.Logs) != 2 || rec.Logs[1].Message != want {
			t.Errorf("%s %s, logs %+v; want the log %q", language(lang), outcomeOf(rec), rec.Logs, want)
		}
	}
}

func TestFloorWorkflowsSendANullUserAgentWhenTheEventHasNone(t *testing.T) {
	var event map[string]any
	if err := json.Unmarshal(floorEvent(), &event); err != nil {
		t.Fatal(err)
	}
	delete(event["request"].(map[string]any), "userAgent")
	withoutAgent, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := startEndpoint(t, greet)
	targets := loadFloor(t)
	for _, lang := range []language{rust, typeScript} {
		rec := runEvent(t, targets[lang], withoutAgent, endpoint.env())
		want := `{"email":"ada@example.com","userAgent":null}`
		if !rec.Resolved() || len(rec.Requests) != 1 || rec.Requests[0].Body != want {
			t.Errorf("%s %s, requests %+v; want one request with the body %s", language(lang), outcomeOf(rec), rec.Requests, want)
		}
	}
}

func TestFloorWorkflowsFailAlike(t *testing.T) {
	targets := loadFloor(t)
	for _, c := range []struct {
		name   string
		answer func(email string) any
		env    func(endpoint *floorEndpoint) map[string]string
		// err is in both rejections; requests is how many each sends.
		err      string
		requests int
	}{
		{
			name:   "endpoint variable unset",
			answer: greet,
			env:    func(*floorEndpoint) map[string]string { return map[string]string{} },
			err:    "environment variable `EXAMPLE_ENDPOINT_URL` is not set",
		},
		{
			name:   "endpoint variable empty",
			answer: greet,
			env:    func(*floorEndpoint) map[string]string { return map[string]string{"EXAMPLE_ENDPOINT_URL": ""} },
			err:    "environment variable `EXAMPLE_ENDPOINT_URL` is not set",
		},
		{
			name:     "message not a string",
			answer:   func(string) any { return map[string]int{"message": 42} },
			env:      (*floorEndpoint).env,
			err:      "endpoint answered without a string `message`",
			requests: 1,
		},
		{
			name:     "answer not an object",
			answer:   func(string) any { return []string{"hello"} },
			env:      (*floorEndpoint).env,
			err:      "endpoint answered without a string `message`",
			requests: 1,
		},
		{
			name:   "deliberate panic (a thrown Error in TypeScript)",
			answer: greet,
			env: func(e *floorEndpoint) map[string]string {
				env := e.env()
				env["EXAMPLE_PANIC"] = "1"
				return env
			},
			err: "deliberate panic for ada@example.com",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			endpoint := startEndpoint(t, c.answer)
			for _, lang := range []language{rust, typeScript} {
				rec := runOnce(t, targets[lang], c.env(endpoint))
				if rec.Resolved() || !strings.Contains(rec.Outcome.Error, c.err) {
					t.Errorf("%s %s, want a rejection with %q", language(lang), outcomeOf(rec), c.err)
				}
				if len(rec.Requests) != c.requests {
					t.Errorf("%s sent %d requests, want %d", language(lang), len(rec.Requests), c.requests)
				}
			}
			if got := len(endpoint.Requests()); got != 2*c.requests {
				t.Errorf("the endpoint received %d requests, want %d", got, 2*c.requests)
			}
		})
	}
}

// TestFloorEndpointRefusesOtherRequests: a workflow that sent anything else
// would get no `message`, so the benchmark would stop instead of timing it.
func TestFloorEndpointRefusesOtherRequests(t *testing.T) {
	for _, c := range []struct {
		name        string
		method      string
		contentType string
		body        string
	}{
		{"GET", "GET", "application/json", ""},
		{"form body", "POST", "application/x-www-form-urlencoded", "email=ada%40example.com"},
		{"unknown field", "POST", "application/json", `{"email":"ada@example.com","userAgent":null,"password":"x"}`},
		{"no email", "POST", "application/json", `{"userAgent":"UA"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			endpoint := startEndpoint(t, greet)
			req, err := http.NewRequest(c.method, endpoint.URL+endpointPath, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", c.contentType)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var answer map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusBadRequest || answer["message"] != nil || answer["error"] == nil {
				t.Errorf("answered %d %v, want 400 with an error and no message", resp.StatusCode, answer)
			}
		})
	}
}

// runOnce runs tg's workflow with the floor event and env, resolved or not.
func runOnce(t *testing.T, tg *target, env map[string]string) *emulator.RunRecord {
	t.Helper()
	return runEvent(t, tg, floorEvent(), env)
}

// runEvent runs tg's workflow with event and env, resolved or not.
func runEvent(t *testing.T, tg *target, event []byte, env map[string]string) *emulator.RunRecord {
	t.Helper()
	rec, err := tg.project.Run(context.Background(), tg.id, event, env, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// outcomeOf describes how a run ended, for failure messages.
func outcomeOf(rec *emulator.RunRecord) string {
	if rec.Resolved() {
		return "resolved with " + string(rec.Outcome.Value)
	}
	return rec.Outcome.Status + ": " + rec.Outcome.Error
}
