package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"kindewasm/emulator"
)

// Variants of the built Rust drip-feed that stop early, to split its fixed
// cost into parts measured like every other run (same emulator, own time,
// interleaved with the TypeScript early return, which needs no part of it).
// They are edits of a copy of the generated Workflow.ts; the repository's
// kindeSrc is never touched.

// shortCircuitLine is the shim's early return, evaluated before the Rust
// module exists (`#[workflow(short_circuit(...))]`).
var shortCircuitLine = regexp.MustCompile(`(?m)^  if \(valueAt\(event, \[[^\n]*\]\) === true\) return [^\n]*;\n`)

// instantiationLine creates the Rust module (once per VM, so once per run).
var instantiationLine = regexp.MustCompile(`(?m)^  if \(rust === undefined\) rust = createRustModule\([^\n]*\);\n`)

// variant is one edit of the generated Workflow.ts.
type variant struct {
	// label names the row.
	label string
	// edit rewrites the shim's source.
	edit func(shim string) (string, error)
}

var floorParts = []variant{
	{
		label: "early return inside Rust (short circuit off: instantiate, read the event, return)",
		edit:  withoutShortCircuit,
	},
	{
		label: "instantiation only (short circuit off, return right after createRustModule)",
		edit: func(shim string) (string, error) {
			shim, err := withoutShortCircuit(shim)
			if err != nil {
				return "", err
			}
			if n := len(instantiationLine.FindAllStringIndex(shim, -1)); n != 1 {
				return "", fmt.Errorf("the generated Workflow.ts has %d createRustModule lines, want 1", n)
			}
			return instantiationLine.ReplaceAllString(shim, "${0}"+`  return {"outcome":"`+outcomeEarlyReturn+`"};`+"\n"), nil
		},
	},
}

// withoutShortCircuit removes the shim's early return, so the event reaches
// the Rust module, which returns early by itself.
func withoutShortCircuit(shim string) (string, error) {
	if n := len(shortCircuitLine.FindAllStringIndex(shim, -1)); n != 1 {
		return "", fmt.Errorf("the generated Workflow.ts has %d short-circuit lines, want 1", n)
	}
	return shortCircuitLine.ReplaceAllString(shim, ""), nil
}

// loadVariant copies the Rust target's project into dir, applies v to its
// Workflow.ts and loads it.
func loadVariant(base *target, v variant, dir string) (*target, error) {
	repo, err := filepath.Abs(base.dir)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"kinde.json", "package.json"} {
		if err := copyFile(filepath.Join(repo, name), filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	if err := copyTree(filepath.Join(repo, "kindeSrc"), filepath.Join(dir, "kindeSrc")); err != nil {
		return nil, err
	}
	if err := os.Symlink(filepath.Join(repo, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		return nil, err
	}
	shimPath := filepath.Join(dir, "kindeSrc", "environment", "workflows", base.id, "Workflow.ts")
	shim, err := os.ReadFile(shimPath)
	if err != nil {
		return nil, err
	}
	edited, err := v.edit(string(shim))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.label, err)
	}
	if err := os.WriteFile(shimPath, []byte(edited), 0o644); err != nil {
		return nil, err
	}
	project, err := emulator.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.label, err)
	}
	return &target{lang: rust, dir: dir, project: project, id: base.id}, nil
}

// floorPartsSection times each variant against the TypeScript early return
// (the first provider's settings; neither side calls a binding).
func floorPartsSection(r *runner, cfg Config, providers []*provider, report *Report) error {
	for _, v := range floorParts {
		row, err := r.variantRow(v, providers[0], cfg)
		if err != nil {
			return err
		}
		report.Rows = append(report.Rows, row)
	}
	return nil
}

// variantRow times v's copy of the Rust target, interleaved with the
// TypeScript early return.
func (r *runner) variantRow(v variant, p *provider, cfg Config) (Row, error) {
	dir, err := os.MkdirTemp("", "kinde-bench-variant-")
	if err != nil {
		return Row{}, err
	}
	defer os.RemoveAll(dir)
	rustVariant, err := loadVariant(r.targets[rust], v, dir)
	if err != nil {
		return Row{}, err
	}
	fmt.Fprintf(cfg.Progress, "bench: %s: %d runs per language\n", v.label, cfg.Reps)
	variantRunner := *r
	variantRunner.targets = [2]*target{rustVariant, r.targets[typeScript]}
	got, err := variantRunner.timings(p, paths[0], cfg.Warmup, cfg.Reps, nil)
	if err != nil {
		return Row{}, err
	}
	return pair(v.label+", vs the TS early return: own time (ms)", got, func(t timing) float64 { return t.own }), nil
}
