package emulator_test

import (
	"context"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
)

// FreshCompile and AfterRun are the benchmark's hooks: a freshly compiled
// run behaves as a cached one, and AfterRun sees every call end once.
func TestBenchmarkHooks(t *testing.T) {
	project := emulatortest.Load(t, fixtureProject)
	afterRuns := 0
	opts := emulator.Options{FreshCompile: true, AfterRun: func() { afterRuns++ }}

	fresh := emulatortest.Run(t, project, "throws", nil, nil, opts)
	cached := emulatortest.Run(t, project, "throws", nil, nil, emulator.Options{})
	if fresh.Outcome.Error != cached.Outcome.Error || fresh.Outcome.Stack != cached.Outcome.Stack {
		t.Errorf("fresh compile: %+v, cached: %+v", fresh.Outcome, cached.Outcome)
	}
	if afterRuns != 1 {
		t.Errorf("AfterRun ran %d times for one run", afterRuns)
	}
	records, err := project.RunSequence(context.Background(), "throws", []emulator.Call{{}, {}}, opts)
	if err != nil || len(records) != 2 {
		t.Fatalf("sequence: %v", err)
	}
	if afterRuns != 3 {
		t.Errorf("AfterRun ran %d times after a run and a sequence of two, want 3", afterRuns)
	}
}
