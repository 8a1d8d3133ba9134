package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"kindewasm/emulator"
)

// CompareConfig chooses what a comparison of two builds of the Rust
// drip-feed measures.
type CompareConfig struct {
	// Base and Head are project roots, each with a kindeSrc holding a built
	// dripFeedMigration (Head is the one under test).
	Base, Head string
	// Providers to measure (Providers when empty).
	Providers []string
	// Reps is the number of measured runs per build of the rejected
	// password, MigrationReps of the full migration; Warmup unmeasured runs
	// precede each series.
	Reps, MigrationReps, Warmup int
	// Profile is the kinde.fetch profile of every run.
	Profile emulator.Profile
	// Progress receives one line per step (may be nil).
	Progress io.Writer
}

// build is a side of a comparison.
type build int

const (
	baseBuild build = iota
	headBuild
)

// Comparison is the result of Compare: one row per path and provider.
type Comparison struct {
	Machine  Machine         `json:"machine"`
	Settings string          `json:"settings"`
	Rows     []ComparisonRow `json:"rows"`
}

// ComparisonRow is one measurement of both builds.
type ComparisonRow struct {
	// Name says what is measured and its unit.
	Name string `json:"name"`
	// Base and Head summarise each build's own time.
	Base Stats `json:"base"`
	Head Stats `json:"head"`
	// Ratio summarises head/base of runs made one after the other, so a
	// slow phase of the machine falls on both of a pair.
	Ratio Stats `json:"ratio"`
}

// Compare times the Rust drip-feed of two builds against the same peers and
// events, interleaved run by run (alternating which goes first): the own
// time of the early return handled inside Rust (copies of both builds
// without the shim's short circuit: the fixed cost of running Rust), then of
// a rejected password and of a full migration per provider. It is how a
// change is judged on a noisy machine, where two separate benchmark runs
// differ by more than the change.
func Compare(ctx context.Context, cfg CompareConfig) (*Comparison, error) {
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if len(cfg.Providers) == 0 {
		cfg.Providers = Providers
	}
	if cfg.Reps < 1 || cfg.MigrationReps < 1 || cfg.Warmup < 0 {
		return nil, fmt.Errorf("repetitions must be at least 1 (warm-up runs at least 0): %+v", cfg)
	}
	var builds [2]*target // indexed by build
	for i, dir := range []string{cfg.Base, cfg.Head} {
		t, err := loadRust(dir)
		if err != nil {
			return nil, err
		}
		builds[i] = t
	}
	kinde, err := startKinde()
	if err != nil {
		return nil, err
	}
	defer kinde.Close()
	r := &runner{ctx: ctx, kindeURL: kinde.URL, profile: cfg.Profile}
	out := &Comparison{
		Machine: thisMachine(),
		Settings: fmt.Sprintf("base %s, head %s; profile %s; %d runs per build (early return inside Rust, rejected), %d (migration); %d warm-up runs; own time in ms",
			cfg.Base, cfg.Head, cfg.Profile.Name(), cfg.Reps, cfg.MigrationReps, cfg.Warmup),
	}
	for i, name := range cfg.Providers {
		fmt.Fprintf(cfg.Progress, "bench: starting the %s peer\n", name)
		p, err := startProvider(name)
		if err != nil {
			return nil, fmt.Errorf("starting the %s peer: %w", name, err)
		}
		if i == 0 {
			row, err := compareFixedCost(r, builds, p, cfg)
			if err != nil {
				p.close()
				return nil, err
			}
			out.Rows = append(out.Rows, row)
		}
		for _, pa := range paths[1:] {
			reps := cfg.Reps
			if pa.needsEmptyKinde {
				reps = cfg.MigrationReps
			}
			fmt.Fprintf(cfg.Progress, "bench: %s, %s: %d runs per build\n", pa.name, p.name, reps)
			got, err := interleave(cfg.Warmup, reps, func(side build) (*emulator.RunRecord, error) {
				r.targets[rust] = builds[side]
				return r.sample(rust, p, pa, nil)
			})
			if err != nil {
				p.close()
				return nil, err
			}
			out.Rows = append(out.Rows, compareRow(pa.name+", "+p.name+": own time (ms)", got))
		}
		p.close()
	}
	return out, nil
}

// compareFixedCost times both builds' early return handled inside Rust
// (floorParts[0]: the shim's short circuit off), on copies of each.
func compareFixedCost(r *runner, builds [2]*target, p *provider, cfg CompareConfig) (ComparisonRow, error) {
	v := floorParts[0]
	var copies [2]*target
	for i, b := range builds {
		dir, err := os.MkdirTemp("", "kinde-bench-compare-")
		if err != nil {
			return ComparisonRow{}, err
		}
		defer os.RemoveAll(dir)
		if copies[i], err = loadVariant(b, v, dir); err != nil {
			return ComparisonRow{}, err
		}
	}
	fmt.Fprintf(cfg.Progress, "bench: %s: %d runs per build\n", v.label, cfg.Reps)
	got, err := interleave(cfg.Warmup, cfg.Reps, func(side build) (*emulator.RunRecord, error) {
		r.targets[rust] = copies[side]
		return r.sample(rust, p, paths[0], nil)
	})
	if err != nil {
		return ComparisonRow{}, err
	}
	return compareRow(v.label+": own time (ms)", got), nil
}

// loadRust loads the drip-feed built into dir's kindeSrc.
func loadRust(dir string) (*target, error) {
	project, err := emulator.Load(dir)
	if err != nil {
		return nil, err
	}
	if _, ok := project.Workflow(RustWorkflow); !ok {
		return nil, fmt.Errorf("%s has no workflow %q", filepath.Join(dir, "kindeSrc"), RustWorkflow)
	}
	return &target{lang: rust, dir: dir, project: project, id: RustWorkflow}, nil
}

// compareRow summarises the own times of both builds and their ratio pair
// by pair.
func compareRow(name string, got [2][]timing) ComparisonRow {
	var base, head, ratio []float64
	for i := range got[baseBuild] {
		b, h := got[baseBuild][i].own, got[headBuild][i].own
		base = append(base, b)
		head = append(head, h)
		ratio = append(ratio, h/b)
	}
	return ComparisonRow{Name: name, Base: Summarise(base), Head: Summarise(head), Ratio: Summarise(ratio)}
}

// WriteTable prints the comparison as a Markdown table.
func (c *Comparison) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s\n", c.Machine)
	fmt.Fprintf(&b, "Settings: %s\n\n", c.Settings)
	b.WriteString("| measurement | base median | base IQR | head median | head IQR | head/base, paired: median | IQR | n |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, row := range c.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s–%s | %s | %s–%s | %.3f× | %.3f–%.3f | %d |\n",
			row.Name, number(row.Base.Median), number(row.Base.Q1), number(row.Base.Q3),
			number(row.Head.Median), number(row.Head.Q1), number(row.Head.Q3),
			row.Ratio.Median, row.Ratio.Q1, row.Ratio.Q3, row.Ratio.N)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
