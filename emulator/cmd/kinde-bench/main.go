// Command kinde-bench measures the Rust drip-feed workflow against the
// TypeScript reference in the emulated Kinde runtime, and the floor (the
// Rust example against its TypeScript twin), and prints one table, side by
// side, with ratios (see package bench and BENCHMARKS.md).
//
//	go run ./cmd/kinde-bench --project ..            # the full run (minutes)
//	go run ./cmd/kinde-bench --project .. --quick    # a smoke run (no cargo builds)
//	go run ./cmd/kinde-bench --project .. --against DIR  # this build against another
//
// scripts/bench installs what it needs, builds the Rust workflow when stale
// and runs this.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"kindewasm/emulator"
	"kindewasm/emulator/bench"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: 0 on success, 1 when the benchmark failed, 2 on bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("kinde-bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	project := flags.String("project", "..", "repository root (kindeSrc with the built Rust workflow, reference/ with the TypeScript one; for the floor, crates/example-workflow and reference/example)")
	quick := flags.Bool("quick", false, "smoke run: few repetitions, no cargo builds")
	reps := flags.Int("reps", 0, "runs per language of the early return and the rejected password (default 200; --quick 2)")
	migrationReps := flags.Int("migration-reps", 0, "runs per language of the full migration (default 200; --quick 2)")
	firstReps := flags.Int("first-reps", 0, "first executions and sync bundlings per language (default 20; --quick 2)")
	memoryReps := flags.Int("memory-reps", 0, "memory measurements per path and language (default 20; --quick 1)")
	warmup := flags.Int("warmup", -1, "unmeasured runs per language before each series (default 5; --quick 1)")
	noBuild := flags.Bool("no-build", false, "skip timing cargo kinde build")
	noFloor := flags.Bool("no-floor", false, "skip the floor (the smallest workflow: the Rust example against its TypeScript twin)")
	providers := flags.String("providers", strings.Join(bench.Providers, ","), "comma-separated LEGACY_PROVIDER values to measure")
	profileName := flags.String("profile", emulator.Profile{}.Name(), "kinde.fetch profile of every run")
	asJSON := flags.Bool("json", false, "print the report as JSON instead of a table")
	against := flags.String("against", "", "compare --project's Rust drip-feed with the one built into this project root's kindeSrc instead (interleaved runs of both builds, own time: the early return inside Rust, then the rejected password and full migration per provider; --reps default 100, --migration-reps 30)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "kinde-bench: unexpected argument %q\n", flags.Arg(0))
		return 2
	}
	profile, err := emulator.ParseProfile(*profileName)
	if err != nil {
		fmt.Fprintln(stderr, "kinde-bench:", err)
		return 2
	}
	if *against != "" {
		warm := count(0, 5, *quick)
		if *warmup >= 0 {
			warm = *warmup
		}
		comparison, err := bench.Compare(ctx, bench.CompareConfig{
			Base: *against, Head: *project, Providers: strings.Split(*providers, ","),
			Reps: count(*reps, 100, *quick), MigrationReps: count(*migrationReps, 30, *quick),
			Warmup: warm, Profile: profile, Progress: stderr,
		})
		return show(comparison, err, *asJSON, stdout, stderr)
	}
	cfg := bench.DefaultConfig(*project)
	if *quick {
		cfg = bench.QuickConfig(*project)
	}
	for _, o := range []struct {
		flag int
		into *int
	}{{*reps, &cfg.Reps}, {*migrationReps, &cfg.MigrationReps}, {*firstReps, &cfg.FirstReps}, {*memoryReps, &cfg.MemoryReps}} {
		if o.flag != 0 {
			*o.into = o.flag
		}
	}
	if *warmup >= 0 {
		cfg.Warmup = *warmup
	}
	cfg.Build = cfg.Build && !*noBuild
	cfg.Floor = cfg.Floor && !*noFloor
	cfg.Providers = strings.Split(*providers, ",")
	cfg.Profile = profile
	cfg.Progress = stderr

	report, err := bench.Run(ctx, cfg)
	return show(report, err, *asJSON, stdout, stderr)
}

// table is what the command prints: a report, or a comparison of two builds.
type table interface {
	WriteTable(w io.Writer) error
}

// show prints result (unless err says there is none) as a table, or as JSON;
// 0 on success, 1 on failure.
func show(result table, err error, asJSON bool, stdout, stderr io.Writer) int {
	if err == nil {
		if asJSON {
			encoder := json.NewEncoder(stdout)
			encoder.SetIndent("", "  ")
			err = encoder.Encode(result)
		} else {
			err = result.WriteTable(stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "kinde-bench:", err)
		return 1
	}
	return 0
}

// count is a repetition count of a comparison: the flag's value when given,
// else 1 with --quick, else fallback.
func count(flag, fallback int, quick bool) int {
	switch {
	case flag > 0:
		return flag
	case quick:
		return 1
	default:
		return fallback
	}
}
