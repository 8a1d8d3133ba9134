package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"kindewasm/emulator/peers/kindeapi"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunPrintsItsURLLogsExchangesAndReportsViolations(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutReader, stdoutWriter := io.Pipe()
	stderr := &lockedBuffer{}
	t.Setenv(secretEnv, "cli-secret")
	code := make(chan int)
	go func() {
		code <- run(ctx, []string{"--addr", "127.0.0.1:0", "--duplicate-email", "reject"}, stdoutWriter, stderr)
		stdoutWriter.Close()
	}()
	base, err := bufio.NewReader(stdoutReader).ReadString('\n')
	if err != nil {
		t.Fatalf("read the URL line: %v", err)
	}
	base = strings.TrimSpace(base)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line = %q", base)
	}
	go io.Copy(io.Discard, stdoutReader)

	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {kindeapi.DefaultClientID},
		"client_secret": {"cli-secret"},
		"audience":      {base + "/api"},
	}
	resp, err := http.PostForm(base+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token with the secret from the environment answered %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/api/v1/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	cancel()
	if got := <-code; got != 1 {
		t.Errorf("exit code %d, want 1 after a violation", got)
	}
	logs := stderr.String()
	for _, want := range []string{"POST /oauth2/token -> 200", "GET /api/v1/nowhere -> 404", "1 contract violation(s)"} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "cli-secret") {
		t.Errorf("the client secret was logged:\n%s", logs)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	stderr := &lockedBuffer{}
	if got := run(context.Background(), []string{"--duplicate-email", "merge"}, io.Discard, stderr); got != 2 {
		t.Errorf("exit code %d, want 2", got)
	}
	if !strings.Contains(stderr.String(), `"merge"`) {
		t.Errorf("stderr = %s", stderr.String())
	}
}
