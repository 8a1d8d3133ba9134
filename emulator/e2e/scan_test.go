package e2e

import (
	"kindewasm/emulator"

	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestScannerFindsSecretsInTheirEncodings(t *testing.T) {
	const password = `pa"ss wo/rd&1`
	const hash = "$2a$10$abcdefghijklmnopqrstuv"
	s := NewScanner()
	if err := s.Add("password", password); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("hash", hash); err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(map[string]string{"p": password})

	tests := []struct {
		name, text string
		want       []string
	}{
		{"clean", "nothing to see [redacted]", nil},
		{"raw", "log: " + password, []string{"password"}},
		{"json", string(quoted), []string{"password"}},
		{"form", "password=" + url.QueryEscape(password), []string{"password"}},
		{"path", "/x/" + url.PathEscape(password), []string{"password"}},
		{"two secrets", hash + " and " + password, []string{"hash", "password"}},
		{"prefix only", password[:6], nil},
	}
	for _, tt := range tests {
		var labels []string
		for _, f := range s.Scan("loc/"+tt.name, tt.text) {
			labels = append(labels, f.Secret)
			if f.Location != "loc/"+tt.name {
				t.Errorf("%s: location %q", tt.name, f.Location)
			}
		}
		if !reflect.DeepEqual(labels, tt.want) {
			t.Errorf("%s: found %q, want %q", tt.name, labels, tt.want)
		}
	}
}

func TestFindingNamesTheLocationButNotTheSecret(t *testing.T) {
	s := NewScanner()
	_ = s.Add("M2M client secret", "m2m-very-secret-value")
	findings := s.Scan("TestX: run record, log 0", "token m2m-very-secret-value")
	if len(findings) != 1 {
		t.Fatalf("findings = %v", findings)
	}
	text := findings[0].String()
	if text != `TestX: run record, log 0: contains secret "M2M client secret"` {
		t.Errorf("finding = %s", text)
	}
	if strings.Contains(text, "m2m-very-secret-value") {
		t.Error("the finding repeats the secret")
	}
}

func TestScannerRefusesShortSecrets(t *testing.T) {
	err := NewScanner().Add("pin", "1234")
	if err == nil || !strings.Contains(err.Error(), `secret "pin" is shorter than 8 characters`) {
		t.Errorf("Add(short) = %v", err)
	}
}

func TestCollectorScansRecordsLogsAndExchanges(t *testing.T) {
	c := &collector{scanner: NewScanner()}
	c.secret(t, "planted password", "planted-Pass-123")
	c.record(t, "run", &emulator.RunRecord{Logs: []emulator.LogEntry{{Level: "info", Message: "ok"}, {Level: "warn", Message: "got planted-Pass-123"}}})
	c.json(t, "peer exchanges", []map[string]string{{"body": `{"password":"[redacted]"}`}})

	findings, texts := c.scan()
	var locations []string
	for _, f := range findings {
		locations = append(locations, f.Location)
	}
	// The whole record and its second log line hold the secret.
	want := []string{t.Name() + ": run run record", t.Name() + ": run log 1 (warn)"}
	if !reflect.DeepEqual(locations, want) || texts != 5 {
		t.Errorf("findings at %q in %d texts, want %q in 5", locations, texts, want)
	}
}
