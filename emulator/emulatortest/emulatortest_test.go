package emulatortest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRepoRootHoldsEmulatorModule(t *testing.T) {
	root := RepoRoot(t)

	if _, err := os.Stat(filepath.Join(root, "emulator", "go.mod")); err != nil {
		t.Fatalf("RepoRoot = %s: %v", root, err)
	}
	if wd, _ := os.Getwd(); !strings.HasPrefix(wd, root) {
		t.Errorf("RepoRoot %s is not an ancestor of %s", root, wd)
	}
}

func TestLoadCachesProjects(t *testing.T) {
	first := Load(t, "../testdata/project")
	second := Load(t, "../testdata/../testdata/project")

	if first != second {
		t.Error("the same directory was loaded twice")
	}
}

func TestEventJSON(t *testing.T) {
	tests := []struct {
		event any
		want  string
	}{
		{nil, ""},
		{`{"a":1}`, `{"a":1}`},
		{[]byte(`[1]`), `[1]`},
		{map[string]any{"b": true}, `{"b":true}`},
	}
	for _, tt := range tests {
		if got := string(eventJSON(t, tt.event)); got != tt.want {
			t.Errorf("eventJSON(%v) = %q, want %q", tt.event, got, tt.want)
		}
	}
}

func TestServerRecordsAndHandlerReadsBody(t *testing.T) {
	var handlerSaw string
	srv := NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		handlerSaw = string(body)
		w.WriteHeader(http.StatusTeapot)
	})

	resp, err := http.Post(srv.URL+"/p?q=1", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	got := srv.Requests()
	if len(got) != 1 || got[0].Method != "POST" || got[0].Path != "/p" || got[0].RawQuery != "q=1" || got[0].Body != "hello" {
		t.Errorf("requests = %+v", got)
	}
	if handlerSaw != "hello" || resp.StatusCode != http.StatusTeapot {
		t.Errorf("handler saw %q, status %d", handlerSaw, resp.StatusCode)
	}
}
