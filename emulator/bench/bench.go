package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"kindewasm/emulator"
)

// Config chooses what a benchmark run measures and how often.
type Config struct {
	// Repo is the repository root: kindeSrc holds the built Rust workflow,
	// reference/ the TypeScript reference.
	Repo string
	// Providers to measure (LEGACY_PROVIDER values; Providers when empty).
	Providers []string
	// Reps is the number of measured runs per language of the early return
	// and the rejected password; MigrationReps of the full migration.
	Reps, MigrationReps int
	// FirstReps is the number of first executions and of sync bundlings.
	FirstReps int
	// MemoryReps is the number of memory measurements per path.
	MemoryReps int
	// Warmup runs per language precede every timed series, unmeasured.
	Warmup int
	// Build times `cargo kinde build` (clean and after a one-line change).
	Build bool
	// Floor measures the smallest workflow in both languages (the Rust
	// example and its TypeScript twin), Reps and FirstReps runs each.
	Floor bool
	// Profile is the kinde.fetch profile of every run.
	Profile emulator.Profile
	// Progress receives one line per step (may be nil).
	Progress io.Writer
}

// DefaultConfig is the full benchmark.
func DefaultConfig(repo string) Config {
	return Config{Repo: repo, Reps: 200, MigrationReps: 200, FirstReps: 20, MemoryReps: 20, Warmup: 5, Build: true, Floor: true}
}

// QuickConfig is a smoke run (well under a minute, no cargo builds): every
// row, few repetitions.
func QuickConfig(repo string) Config {
	return Config{Repo: repo, Reps: 2, MigrationReps: 2, FirstReps: 2, MemoryReps: 1, Warmup: 1, Floor: true}
}

// Run measures everything Config asks for and returns the report. Peers are
// started on loopback and stopped before it returns.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if len(cfg.Providers) == 0 {
		cfg.Providers = Providers
	}
	if cfg.Reps < 1 || cfg.MigrationReps < 1 || cfg.FirstReps < 1 || cfg.MemoryReps < 1 || cfg.Warmup < 0 {
		return nil, fmt.Errorf("repetitions must be at least 1 (warm-up runs at least 0): %+v", cfg)
	}
	targets, err := loadTargets(cfg.Repo)
	if err != nil {
		return nil, err
	}
	var floorTargets [2]*target
	if cfg.Floor {
		if floorTargets, err = loadFloorTargets(cfg.Repo); err != nil {
			return nil, err
		}
	}
	providers := make([]*provider, 0, len(cfg.Providers))
	defer func() {
		for _, p := range providers {
			p.close()
		}
	}()
	for _, name := range cfg.Providers {
		fmt.Fprintf(cfg.Progress, "bench: starting the %s peer\n", name)
		p, err := startProvider(name)
		if err != nil {
			return nil, fmt.Errorf("starting the %s peer: %w", name, err)
		}
		providers = append(providers, p)
	}
	kinde, err := startKinde()
	if err != nil {
		return nil, err
	}
	defer kinde.Close()

	r := &runner{ctx: ctx, targets: targets, floor: floorTargets, kindeURL: kinde.URL, profile: cfg.Profile}
	report := &Report{
		Machine: thisMachine(),
		Settings: fmt.Sprintf("profile %s; %d runs per language (early return, rejected), %d (migration), %d (first execution, sync), %d (memory); %d warm-up runs; times in ms, sizes in KB (1024 B), memory in KB",
			cfg.Profile.Name(), cfg.Reps, cfg.MigrationReps, cfg.FirstReps, cfg.MemoryReps, cfg.Warmup),
	}
	steps := []func(*runner, Config, []*provider, *Report) error{perExecution, floorPartsSection, firstExecution, sizes, memoryUse}
	if cfg.Floor {
		report.Settings += fmt.Sprintf("; floor: %d runs, %d first executions per language", cfg.Reps, cfg.FirstReps)
		steps = append(steps, floorSection)
	}
	for _, step := range steps {
		if err := step(r, cfg, providers, report); err != nil {
			return nil, err
		}
	}
	if cfg.Build {
		if err := buildRows(ctx, cfg, report); err != nil {
			return nil, err
		}
	}
	return report, nil
}

// perExecution times every path against every provider.
func perExecution(r *runner, cfg Config, providers []*provider, report *Report) error {
	for _, pa := range paths {
		reps := cfg.Reps
		if pa.needsEmptyKinde {
			reps = cfg.MigrationReps
		}
		for _, p := range providers {
			fmt.Fprintf(cfg.Progress, "bench: %s, %s: %d runs per language\n", pa.name, p.name, reps)
			got, err := r.timings(p, pa, cfg.Warmup, reps, nil)
			if err != nil {
				return err
			}
			label := pa.name + ", " + p.name
			total := pair(label+": total (ms)", got, func(t timing) float64 { return t.total })
			own := pair(label+": own time (ms)", got, func(t timing) float64 { return t.own })
			if pa.want == outcomeEarlyReturn {
				total.Goal = goalWithin(0.1, "ms")(total)
			} else {
				own.Goal = goalRatio(1.0)(own)
			}
			report.Rows = append(report.Rows, total, own)
		}
	}
	return nil
}

// firstExecution times runs that compile the bundle afresh (the first
// sign-in after a deploy): the rejected password of the first provider.
func firstExecution(r *runner, cfg Config, providers []*provider, report *Report) error {
	p, pa := providers[0], paths[1]
	fmt.Fprintf(cfg.Progress, "bench: first execution (%s, %s): %d runs per language\n", pa.name, p.name, cfg.FirstReps)
	got, err := r.timings(p, pa, 0, cfg.FirstReps, func(opts *emulator.Options) { opts.FreshCompile = true })
	if err != nil {
		return err
	}
	label := "first execution (compile + instantiate + run; " + pa.name + ", " + p.name + ")"
	total := pair(label+": total (ms)", got, func(t timing) float64 { return t.total })
	total.Goal = goalRatio(2.0)(total)
	own := pair(label+": own time (ms)", got, func(t timing) float64 { return t.own })
	report.Rows = append(report.Rows, total, own)

	fmt.Fprintf(cfg.Progress, "bench: bundling at sync: %d loads per language\n", cfg.FirstReps)
	var loads [2][]float64
	for i := 0; i < cfg.FirstReps; i++ {
		for _, t := range r.targets {
			project, err := emulator.Load(t.dir)
			if err != nil {
				return err
			}
			loads[t.lang] = append(loads[t.lang], float64(project.LoadDuration.Microseconds())/1000)
		}
	}
	report.Rows = append(report.Rows, row("bundling at sync (esbuild + settings, ms)", loads))
	return nil
}

// sizes reports the bundles as Kinde builds them, with and without the
// inline source map, raw and gzip.
func sizes(r *runner, _ Config, _ []*provider, report *Report) error {
	rows, err := bundleRows("", r.targets)
	if err != nil {
		return err
	}
	rows[0].Goal = goalAtMost(150, "KB")(rows[0])
	rows[2].Goal = goalAtMost(500, "KB")(rows[2])
	report.Rows = append(report.Rows, rows...)
	return nil
}

// bundleRows are the size rows of both targets' bundles, their names
// prefixed with prefix: without source map (raw, gzip), then with Kinde's
// inline source map (raw, gzip).
func bundleRows(prefix string, targets [2]*target) ([]Row, error) {
	var withMap, withMapGzip, noMap, noMapGzip [2][]float64
	for _, t := range targets {
		bundle := t.bundle()
		code, err := withoutSourceMap(bundle)
		if err != nil {
			return nil, fmt.Errorf("%s bundle of %s: %w", t.lang, t.id, err)
		}
		for _, s := range []struct {
			data []byte
			raw  *[2][]float64
			gz   *[2][]float64
		}{{bundle, &withMap, &withMapGzip}, {code, &noMap, &noMapGzip}} {
			gz, err := gzipSize(s.data)
			if err != nil {
				return nil, err
			}
			s.raw[t.lang] = []float64{kb(len(s.data))}
			s.gz[t.lang] = []float64{kb(gz)}
		}
	}
	return []Row{
		row(prefix+"bundle without source map, raw (KB)", noMap),
		row(prefix+"bundle without source map, gzip (KB)", noMapGzip),
		row(prefix+"bundle with Kinde's inline source map, raw (KB)", withMap),
		row(prefix+"bundle with Kinde's inline source map, gzip (KB)", withMapGzip),
	}, nil
}

// memoryUse measures the heap of the first provider's paths.
func memoryUse(r *runner, cfg Config, providers []*provider, report *Report) error {
	p := providers[0]
	for _, pa := range paths {
		fmt.Fprintf(cfg.Progress, "bench: memory, %s, %s: %d runs per language\n", pa.name, p.name, cfg.MemoryReps)
		got, err := r.memories(p, pa, cfg.MemoryReps)
		if err != nil {
			return err
		}
		label := "memory, " + pa.name + ", " + p.name
		report.Rows = append(report.Rows, pair(label+": heap held at the end (KB)", got, func(m memory) float64 { return m.held / 1024 }))
		// Both languages make the same calls to the in-process peers, so
		// their allocations count alike.
		report.Rows = append(report.Rows, pair(label+": allocated (KB)", got, func(m memory) float64 { return m.allocated / 1024 }))
	}
	return nil
}

// buildRows times cargo kinde build; the reference has no build step.
func buildRows(ctx context.Context, cfg Config, report *Report) error {
	clean, edited, err := buildTimes(ctx, cfg.Repo, cfg.Progress)
	if err != nil {
		return err
	}
	cleanRow := Row{Name: "cargo kinde build -p drip-feed, clean (s)", Rust: Single(clean.Seconds())}
	editedRow := Row{Name: "cargo kinde build -p drip-feed, after a one-line change (s)", Rust: Single(edited.Seconds())}
	editedRow.Goal = goalAtMost((10 * time.Second).Seconds(), "s")(editedRow)
	report.Rows = append(report.Rows, cleanRow, editedRow)
	return nil
}

// pair is a row of both languages' samples, projected by value.
func pair[T any](name string, samples [2][]T, value func(T) float64) Row {
	var values [2][]float64
	for lang, list := range samples {
		for _, s := range list {
			values[lang] = append(values[lang], value(s))
		}
	}
	return row(name, values)
}

// row summarises both languages' values.
func row(name string, values [2][]float64) Row {
	ts := Summarise(values[typeScript])
	return Row{Name: name, Rust: Summarise(values[rust]), TS: &ts}
}

func kb(bytes int) float64 { return float64(bytes) / 1024 }
