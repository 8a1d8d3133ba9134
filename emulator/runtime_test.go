package emulator_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

const runtimeProject = "testdata/runtime"

func TestUndeclaredConsoleIsAReferenceError(t *testing.T) {
	project := emulatortest.Load(t, runtimeProject)

	rec := emulatortest.Run(t, project, "consoleMissing", nil, map[string]string{"A": "1"}, emulator.Options{})

	if rec.Resolved() || !strings.HasPrefix(rec.Outcome.Error, "ReferenceError: console is not defined") {
		t.Fatalf("outcome = %+v, want a ReferenceError for console", rec.Outcome)
	}
	if len(rec.Logs) != 0 {
		t.Errorf("logs = %v", rec.Logs)
	}
}

func TestRequireLoadsBuiltinsAndRefusesFiles(t *testing.T) {
	project := emulatortest.Load(t, runtimeProject)

	rec := emulatortest.Run(t, project, "requireFile", map[string]any{"file": "secret.js"}, nil, emulator.Options{})

	if rec.Resolved() || rec.Outcome.Error != "not permitted to load file secret.js" {
		t.Fatalf("outcome = %+v, want require to refuse the file", rec.Outcome)
	}
	if want := []emulator.LogEntry{{Level: "info", Message: "function x-1"}}; !reflect.DeepEqual(rec.Logs, want) {
		t.Errorf("logs = %v, want %v", rec.Logs, want)
	}
}

func TestDottedBindingsInstallOnlyWhatTheyName(t *testing.T) {
	project := emulatortest.Load(t, runtimeProject)

	rec := emulatortest.Run(t, project, "dotted", nil, map[string]string{"A": "a-value"}, emulator.Options{})

	if !rec.Resolved() {
		t.Fatalf("outcome = %+v", rec.Outcome)
	}
	var got map[string]any
	if err := rec.DecodeValue(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"kinde":   []any{"env", "secureFetch"},
		"env":     []any{"get"},
		"value":   "a-value",
		"fetch":   "undefined",
		"console": "undefined",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("value = %v\nwant    %v", got, want)
	}
	wantWarnings := []string{`binding "kinde.teleport" is declared but not emulated: it is undefined in the VM`}
	if !reflect.DeepEqual(rec.Warnings, wantWarnings) {
		t.Errorf("warnings = %q", rec.Warnings)
	}
}

func TestDefaultExportMustReturnAPromise(t *testing.T) {
	project := emulatortest.Load(t, runtimeProject)

	rec := emulatortest.Run(t, project, "notPromise", nil, nil, emulator.Options{})

	if rec.Resolved() || !strings.Contains(rec.Outcome.Error, "not *goja.Promise") {
		t.Fatalf("outcome = %+v, want a rejection for the missing Promise", rec.Outcome)
	}
}

func TestTimedOutRunsDoNotLeakIntoTheNext(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)

	for i := 0; i < 3; i++ {
		rec := emulatortest.Run(t, project, "hangs", nil, nil, emulator.Options{Timeout: 20 * time.Millisecond})
		if !rec.Outcome.TimedOut {
			t.Fatalf("run %d: outcome = %+v", i, rec.Outcome)
		}
		if len(rec.Logs) != 1 {
			t.Errorf("run %d: logs = %v, want only this run's line", i, rec.Logs)
		}
	}
}
