// Package emulatortest helps Go tests run Kinde workflows in the emulator:
// locate the repository, load a project once per test binary, run a
// workflow, and stand up a loopback HTTP server that records what the
// workflow sent.
//
// A test of the repository's own kindeSrc reads:
//
//	project := emulatortest.LoadRepo(t)
//	srv := emulatortest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { ... })
//	rec := emulatortest.Run(t, project, "myWorkflow", event, map[string]string{"API_URL": srv.URL}, emulator.Options{})
package emulatortest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"kindewasm/emulator"
)

var (
	loadMu sync.Mutex
	loaded = map[string]*emulator.Project{}
)

// RepoRoot returns the repository root: the nearest ancestor of the working
// directory (a test's package directory) that holds emulator/go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "emulator", "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("emulatortest: no ancestor of the working directory holds emulator/go.mod")
		}
		dir = parent
	}
}

// LoadRepo loads the repository's own project (kinde.json and kindeSrc at
// the repository root).
func LoadRepo(t testing.TB) *emulator.Project {
	t.Helper()
	return Load(t, RepoRoot(t))
}

// Load discovers and bundles the project in dir, once per test binary, and
// fails the test if it does not load.
func Load(t testing.TB, dir string) *emulator.Project {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	loadMu.Lock()
	defer loadMu.Unlock()
	if project, ok := loaded[abs]; ok {
		return project
	}
	project, err := emulator.Load(abs)
	if err != nil {
		t.Fatalf("emulatortest: loading %s: %v", abs, err)
	}
	loaded[abs] = project
	return project
}

// Run runs workflowID and fails the test if it cannot start (unknown id,
// bad event). event is JSON as []byte, json.RawMessage or string, or any
// other value, which is marshalled; nil means {}. The record is returned
// whether the workflow resolved or rejected.
func Run(t testing.TB, project *emulator.Project, workflowID string, event any, env map[string]string, opts emulator.Options) *emulator.RunRecord {
	t.Helper()
	rec, err := project.Run(context.Background(), workflowID, eventJSON(t, event), env, opts)
	if err != nil {
		t.Fatalf("emulatortest: running %s: %v", workflowID, err)
	}
	return rec
}

func eventJSON(t testing.TB, event any) []byte {
	t.Helper()
	switch v := event.(type) {
	case nil:
		return nil
	case []byte:
		return v
	case json.RawMessage:
		return v
	case string:
		return []byte(v)
	}
	data, err := json.Marshal(event)
	if err != nil {
		t.Fatalf("emulatortest: encoding event: %v", err)
	}
	return data
}

// CapturedRequest is one request as a Server received it.
type CapturedRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// Server is a loopback HTTP server that records every request before
// handing it to its handler (which can still read the body).
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	requests []CapturedRequest
}

// NewServer starts a recording server, closed when the test ends. A nil
// handler answers 200 with an empty body.
func NewServer(t testing.TB, handler http.HandlerFunc) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.record(CapturedRequest{
			Method:   r.Method,
			Path:     r.URL.Path,
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			Body:     string(body),
		})
		if handler != nil {
			handler(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) record(req CapturedRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []CapturedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CapturedRequest{}, s.requests...)
}

// Route sends requests for hosts matching hostPattern (see emulator.Route)
// to this server.
func (s *Server) Route(hostPattern string) emulator.Route {
	return emulator.Route{Host: hostPattern, Target: s.URL}
}
