package kinderuntime

import (
	"context"
	"crypto/sha256"
	"runtime"
	"testing"
	"time"
)

func TestFreshCompileLeavesTheProgramCacheAlone(t *testing.T) {
	rt := testRuntime()
	source := cjs(`async () => "fresh"`)
	got, err := execute(t, rt, Call{Source: source, FreshCompile: true})
	if err != nil || got != "fresh" {
		t.Fatalf("fresh compile: %v, %v", got, err)
	}
	if n := len(rt.programs); n != 0 {
		t.Errorf("a fresh compile filled the cache (%d programs)", n)
	}
	if _, err := execute(t, rt, Call{Source: source}); err != nil {
		t.Fatal(err)
	}
	if n := len(rt.programs); n != 1 {
		t.Errorf("%d programs cached after a normal run, want 1", n)
	}
	if _, err := execute(t, rt, Call{Source: []byte("module.exports = {"), FreshCompile: true}); err == nil {
		t.Error("a fresh compile of a broken bundle succeeded")
	}
}

// The workflow keeps 64 MiB reachable from the VM; AfterStep must see them
// live after a collection, once per step, after the step has settled.
func TestAfterStepRunsWhileTheVMHoldsItsMemory(t *testing.T) {
	const held = 64 << 20
	rt := testRuntime()
	source := cjs(`async () => { globalThis.kept = new ArrayBuffer(64 * 1024 * 1024); return "done"; }`)
	var steps []int
	var live []uint64
	results := rt.ExecuteSequence(Call{
		Source:     source,
		TimeLimit:  5 * time.Second,
		EntryPoint: "handle",
		AfterStep: func(step int) {
			steps = append(steps, step)
			runtime.GC()
			var stats runtime.MemStats
			runtime.ReadMemStats(&stats)
			live = append(live, stats.HeapAlloc)
		},
	}, []Step{{Ctx: context.Background()}, {Ctx: context.Background()}})
	for i, r := range results {
		if r.Err != nil || r.Value != "done" {
			t.Fatalf("step %d: %v, %v", i, r.Value, r.Err)
		}
	}
	if len(steps) != 2 || steps[0] != 0 || steps[1] != 1 {
		t.Fatalf("AfterStep calls = %v, want [0 1]", steps)
	}
	for i, bytes := range live {
		if bytes < held {
			t.Errorf("step %d: %d bytes live in AfterStep, want at least the %d the VM holds", i, bytes, held)
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapAlloc >= held {
		t.Errorf("%d bytes live after the sequence: the VM was not released", after.HeapAlloc)
	}
}

// A caller that hashed the bundle once passes the key; the cache is then
// looked up by that key, without hashing the source again.
func TestSourceKeySelectsTheCachedProgram(t *testing.T) {
	rt := testRuntime()
	first := cjs(`async () => "first"`)
	key := sha256.Sum256(first)
	if got, err := execute(t, rt, Call{Source: first, SourceKey: key}); err != nil || got != "first" {
		t.Fatalf("first run: %v, %v", got, err)
	}
	if _, ok := rt.programs[key]; !ok || len(rt.programs) != 1 {
		t.Fatalf("the program is not cached under the given key (%d programs)", len(rt.programs))
	}
	// Same key, other source: the cached program answers, so the key was
	// trusted rather than the source rehashed.
	got, err := execute(t, rt, Call{Source: cjs(`async () => "second"`), SourceKey: key})
	if err != nil || got != "first" {
		t.Fatalf("run with the same key: %v, %v (want the cached program's answer)", got, err)
	}
	// No key: the source is hashed, and a new program compiled.
	if got, err := execute(t, rt, Call{Source: cjs(`async () => "second"`)}); err != nil || got != "second" {
		t.Fatalf("run without a key: %v, %v", got, err)
	}
}
