package bench

import (
	"context"
	"fmt"
	"path/filepath"

	"kindewasm/emulator"
)

// The floor: the smallest useful workflow in both languages, so what is left
// of the Rust one's cost is the fixed price of running Rust at all (the
// wasm2js module, the glue, decoding the event), whatever the workflow does.
const (
	// ExampleWorkflow is the Rust example (crates/example-workflow, its own
	// Kinde project beside its Cargo.toml).
	ExampleWorkflow = "rustExample"
	// ExampleReference is its twin written by hand in TypeScript.
	ExampleReference = "exampleReference"

	exampleDir          = "crates/example-workflow"
	exampleReferenceDir = "reference/example"
	// floorLabel starts the name of every floor row.
	floorLabel = "floor (smallest workflow: 2 env reads, 1 fetch, 2 logs)"
	// floorPassword is the sign-in's password (neither workflow reads it).
	floorPassword = "Bench-Floor-Pass-1"
)

// loadFloorTargets loads the Rust example's project and its TypeScript twin's.
func loadFloorTargets(repo string) ([2]*target, error) {
	return loadPair(
		&target{lang: rust, dir: filepath.Join(repo, filepath.FromSlash(exampleDir)), id: ExampleWorkflow},
		&target{lang: typeScript, dir: filepath.Join(repo, filepath.FromSlash(exampleReferenceDir)), id: ExampleReference},
		"cargo kinde build -p example-workflow",
	)
}

// floorOutcome is what both floor workflows resolve with.
type floorOutcome struct {
	Message              string `json:"message"`
	HasUserRecordInKinde bool   `json:"hasUserRecordInKinde"`
}

// floorRunner runs the floor workflows against one endpoint.
type floorRunner struct {
	ctx      context.Context
	targets  [2]*target
	endpoint *floorEndpoint
	profile  emulator.Profile
}

// floorEvent is the sign-in of every floor run.
func floorEvent() []byte { return signInEvent(benchEmail, floorPassword, false) }

// run executes the floor workflow of lang once (opts adjusted by tune) and
// checks that it resolved with the endpoint's greeting.
func (f *floorRunner) run(lang language, tune func(*emulator.Options)) (*emulator.RunRecord, error) {
	opts := emulator.Options{Profile: f.profile}
	if tune != nil {
		tune(&opts)
	}
	t := f.targets[lang]
	rec, err := t.project.Run(f.ctx, t.id, floorEvent(), f.endpoint.env(), opts)
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	if !rec.Resolved() {
		return nil, fmt.Errorf("floor: %s %s: %s instead of resolving: %s", t.lang, t.id, rec.Outcome.Status, rec.Outcome.Error)
	}
	want := floorOutcome{Message: greeting(benchEmail)}
	var got floorOutcome
	if err := rec.DecodeValue(&got); err != nil || got != want {
		return nil, fmt.Errorf("floor: %s %s resolved with %s, want %+v", t.lang, t.id, rec.Outcome.Value, want)
	}
	return rec, nil
}

// floorSection times the floor workflows per execution and on a first execution,
// and reports their bundles.
func floorSection(r *runner, cfg Config, _ []*provider, report *Report) error {
	endpoint, err := startFloorEndpoint(func(email string) any { return map[string]string{"message": greeting(email)} })
	if err != nil {
		return err
	}
	defer endpoint.Close()
	f := &floorRunner{ctx: r.ctx, targets: r.floor, endpoint: endpoint, profile: r.profile}

	fmt.Fprintf(cfg.Progress, "bench: floor: %d runs per language\n", cfg.Reps)
	got, err := interleave(cfg.Warmup, cfg.Reps, func(lang language) (*emulator.RunRecord, error) { return f.run(lang, nil) })
	if err != nil {
		return err
	}
	total := pair(floorLabel+": total (ms)", got, func(t timing) float64 { return t.total })
	own := pair(floorLabel+": own time (ms)", got, func(t timing) float64 { return t.own })
	own.Goal = goalRatio(1.0)(own)
	report.Rows = append(report.Rows, total, own)

	fmt.Fprintf(cfg.Progress, "bench: floor, first execution: %d runs per language\n", cfg.FirstReps)
	fresh := func(opts *emulator.Options) { opts.FreshCompile = true }
	got, err = interleave(0, cfg.FirstReps, func(lang language) (*emulator.RunRecord, error) { return f.run(lang, fresh) })
	if err != nil {
		return err
	}
	label := floorLabel + ", first execution (compile + instantiate + run)"
	firstTotal := pair(label+": total (ms)", got, func(t timing) float64 { return t.total })
	firstTotal.Goal = goalRatio(2.0)(firstTotal)
	report.Rows = append(report.Rows, firstTotal, pair(label+": own time (ms)", got, func(t timing) float64 { return t.own }))

	rows, err := bundleRows(floorLabel+": ", r.floor)
	if err != nil {
		return err
	}
	report.Rows = append(report.Rows, rows...)
	return nil
}

// greeting is the endpoint's message for email.
func greeting(email string) string { return "hello " + email }
