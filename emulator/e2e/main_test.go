package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"kindewasm/emulator"
)

// TestMain runs the tests, then scans everything they collected for the
// secrets they used; a finding fails the suite with its location.
func TestMain(m *testing.M) {
	code := m.Run()
	findings, texts := collected.scan()
	for _, f := range findings {
		fmt.Fprintf(os.Stderr, "secrets scan: %s\n", f)
	}
	if len(findings) > 0 {
		fmt.Fprintf(os.Stderr, "secrets scan: FAILED, %d findings in %d texts\n", len(findings), texts)
		code = 1
	}
	os.Exit(code)
}

// collected holds every secret the suite used and every text it produced
// (run records, log lines, peer exchanges), for the scan in TestMain.
var collected = &collector{scanner: NewScanner()}

// collector gathers secrets and texts from parallel tests.
type collector struct {
	mu      sync.Mutex
	scanner *Scanner
	texts   []scannedText
}

type scannedText struct{ location, text string }

// secret registers a value no output may contain.
func (c *collector) secret(t testing.TB, label, value string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.scanner.Add(label, value); err != nil {
		t.Fatal(err)
	}
}

// text adds one text to scan.
func (c *collector) text(location, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.texts = append(c.texts, scannedText{location, text})
}

// json adds value, JSON-encoded, to scan.
func (c *collector) json(t testing.TB, location string, value any) {
	t.Helper()
	data, err := json.Marshal(value)
	if err != nil {
		t.Fatalf("encoding %s for the secrets scan: %v", location, err)
	}
	c.text(location, string(data))
}

// record adds a run record: as a whole, and each log line on its own so a
// finding points at the line.
func (c *collector) record(t testing.TB, label string, rec *emulator.RunRecord) {
	t.Helper()
	where := t.Name() + ": " + label
	c.json(t, where+" run record", rec)
	for i, entry := range rec.Logs {
		c.text(fmt.Sprintf("%s log %d (%s)", where, i, entry.Level), entry.Message)
	}
	c.text(where+" outcome error", rec.Outcome.Stack+"\n"+rec.Outcome.Error)
}

// scan runs the scanner over every collected text.
func (c *collector) scan() ([]Finding, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var findings []Finding
	for _, text := range c.texts {
		findings = append(findings, c.scanner.Scan(text.location, text.text)...)
	}
	return findings, len(c.texts)
}
