package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kindewasm/emulator/bench"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/cognito"
)

// TestQuickRunPrintsEveryRow runs the benchmark in --quick mode with one
// repetition and checks the table's shape, not its values: every expected
// row is there once, in order, with numbers where numbers belong.
func TestQuickRunPrintsEveryRow(t *testing.T) {
	requireMoto(t)
	repo := emulatortest.RepoRoot(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--project", repo, "--quick", "--reps", "1", "--migration-reps", "1", "--first-reps", "1", "--warmup", "0"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("kinde-bench --quick exited %d:\n%s", code, stderr.String())
	}
	lines := strings.Split(stdout.String(), "\n")
	if !strings.HasPrefix(lines[0], "Machine: ") || !strings.HasPrefix(lines[1], "Settings: ") {
		t.Errorf("header = %q", lines[:2])
	}
	header := "| " + strings.Join(bench.Columns, " | ") + " |"
	var rows [][]string
	seenHeader := false
	for _, line := range lines {
		switch {
		case line == header:
			seenHeader = true
		case seenHeader && strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| ---"):
			cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
			if len(cells) != len(bench.Columns) {
				t.Fatalf("row has %d cells, want %d: %q", len(cells), len(bench.Columns), line)
			}
			rows = append(rows, cells)
		}
	}
	if !seenHeader {
		t.Fatalf("no table header in:\n%s", stdout.String())
	}
	want := expectedRows()
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), stdout.String())
	}
	for i, cells := range rows {
		if cells[0] != want[i] {
			t.Errorf("row %d = %q, want %q", i, cells[0], want[i])
		}
		requireNumber(t, cells[0]+" Rust median", cells[1], "")
		requireNumber(t, cells[0]+" TS median", cells[4], "")
		requireNumber(t, cells[0]+" Rust/TS", cells[7], "×")
	}
}

// expectedRows are the row names of a --quick run: every path and provider,
// the drip-feed's fixed parts, the first execution, bundling, sizes, memory and the floor (no cargo
// builds).
func expectedRows() []string {
	var names []string
	for _, path := range []string{"early return", "rejected password", "full migration"} {
		for _, provider := range bench.Providers {
			names = append(names, path+", "+provider+": total (ms)", path+", "+provider+": own time (ms)")
		}
	}
	for _, part := range []string{
		"early return inside Rust (short circuit off: instantiate, read the event, return)",
		"instantiation only (short circuit off, return right after createRustModule)",
	} {
		names = append(names, part+", vs the TS early return: own time (ms)")
	}
	first := "first execution (compile + instantiate + run; rejected password, generic)"
	names = append(names, first+": total (ms)", first+": own time (ms)", "bundling at sync (esbuild + settings, ms)",
		"bundle without source map, raw (KB)", "bundle without source map, gzip (KB)",
		"bundle with Kinde's inline source map, raw (KB)", "bundle with Kinde's inline source map, gzip (KB)",
		"memory, early return, generic: heap held at the end (KB)", "memory, early return, generic: allocated (KB)",
		"memory, rejected password, generic: heap held at the end (KB)", "memory, rejected password, generic: allocated (KB)",
		"memory, full migration, generic: heap held at the end (KB)", "memory, full migration, generic: allocated (KB)")
	floor := "floor (smallest workflow: 2 env reads, 1 fetch, 2 logs)"
	floorFirst := floor + ", first execution (compile + instantiate + run)"
	names = append(names, floor+": total (ms)", floor+": own time (ms)", floorFirst+": total (ms)", floorFirst+": own time (ms)",
		floor+": bundle without source map, raw (KB)", floor+": bundle without source map, gzip (KB)",
		floor+": bundle with Kinde's inline source map, raw (KB)", floor+": bundle with Kinde's inline source map, gzip (KB)")
	return names
}

// requireNumber checks that a cell is a number (with suffix removed).
func requireNumber(t *testing.T, what, cell, suffix string) {
	t.Helper()
	if _, err := strconv.ParseFloat(strings.TrimSuffix(cell, suffix), 64); err != nil {
		t.Errorf("%s = %q, not a number", what, cell)
	}
}

func TestNoFloorLeavesOutTheFloorRows(t *testing.T) {
	repo := emulatortest.RepoRoot(t)
	var stdout, stderr bytes.Buffer
	args := []string{"--project", repo, "--quick", "--no-floor", "--providers", "generic", "--reps", "1", "--migration-reps", "1", "--first-reps", "1", "--warmup", "0"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("kinde-bench %q exited %d:\n%s", args, code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "| early return, generic: total (ms) |") {
		t.Fatalf("no per-execution rows in:\n%s", stdout.String())
	}
	if strings.Contains(stdout.String(), "floor") {
		t.Errorf("--no-floor printed the floor:\n%s", stdout.String())
	}
}

// TestAgainstComparesTwoBuilds compares the repository's build with a copy
// of it: every path's row per provider, numbers in every cell, and a paired
// ratio near 1 (the same build, so no difference beyond noise).
func TestAgainstComparesTwoBuilds(t *testing.T) {
	repo := emulatortest.RepoRoot(t)
	var stdout, stderr bytes.Buffer
	args := []string{"--project", repo, "--against", repo, "--providers", "generic", "--reps", "3", "--migration-reps", "2", "--warmup", "0"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("kinde-bench %q exited %d:\n%s", args, code, stderr.String())
	}
	var names []string
	for _, line := range strings.Split(stdout.String(), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| ---") || strings.HasPrefix(line, "| measurement") {
			continue
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
		if len(cells) != 8 {
			t.Fatalf("row has %d cells, want 8: %q", len(cells), line)
		}
		names = append(names, cells[0])
		requireNumber(t, cells[0]+" base median", cells[1], "")
		requireNumber(t, cells[0]+" head median", cells[3], "")
		ratio, err := strconv.ParseFloat(strings.TrimSuffix(cells[5], "×"), 64)
		if err != nil || ratio < 0.2 || ratio > 5 {
			t.Errorf("%s: paired ratio %q of a build against itself", cells[0], cells[5])
		}
		if cells[7] != "3" && cells[7] != "2" {
			t.Errorf("%s: n = %q", cells[0], cells[7])
		}
	}
	want := []string{
		"early return inside Rust (short circuit off: instantiate, read the event, return): own time (ms)",
		"rejected password, generic: own time (ms)", "full migration, generic: own time (ms)",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows %q, want %q", names, want)
	}
	if code := run(context.Background(), []string{"--project", repo, "--against", t.TempDir(), "--providers", "generic"}, &stdout, &stderr); code != 1 {
		t.Errorf("--against a directory without a build exited %d, want 1", code)
	}
}

func TestBadUsageExitsTwo(t *testing.T) {
	for _, args := range [][]string{{"--no-such-flag"}, {"stray"}, {"--profile", "loud"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}

func TestUnknownProviderFailsNamingIt(t *testing.T) {
	var stdout, stderr bytes.Buffer
	repo := emulatortest.RepoRoot(t)
	code := run(context.Background(), []string{"--project", repo, "--quick", "--providers", "okta"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), `unknown provider "okta"`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// requireMoto skips without moto (the Cognito rows need it), unless
// KINDE_REQUIRE_MOTO is set, as the peers' tests do.
func requireMoto(t *testing.T) {
	t.Helper()
	if os.Getenv("MOTO_SERVER") != "" {
		return
	}
	path := filepath.Join(emulatortest.RepoRoot(t), ".venv-moto", "bin", "moto_server")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if os.Getenv("KINDE_REQUIRE_MOTO") != "" {
			t.Fatalf("moto is not installed (%s): run %s", path, cognito.InstallCommand)
		}
		t.Skipf("moto is not installed: run %s", cognito.InstallCommand)
	}
}
