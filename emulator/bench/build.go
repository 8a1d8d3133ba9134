package bench

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// workspaceFiles are the files of the repository's root a workflow build
// reads; crates/ and kindeSrc/ are copied whole, node_modules is linked.
var workspaceFiles = []string{"Cargo.toml", "Cargo.lock", "kinde.json", "package.json", "package-lock.json"}

// The one-line change: a user-facing message in the drip-feed's lib.rs. It
// changes the compiled code (a data segment), so the whole translation runs
// again, as after any real edit; a comment or an unused item would leave the
// .wasm as it was and only measure cargo and the translation cache.
const (
	editedSource = "crates/drip-feed/src/lib.rs"
	editFrom     = `"Incorrect email or password."`
	editTo       = `"Incorrect e-mail or password."`
)

// buildTimes times `cargo kinde build -p drip-feed` in a scratch copy of the
// workspace with an empty CARGO_TARGET_DIR (clean), then again after one
// line of the crate's lib.rs changed. The repository is never modified.
func buildTimes(ctx context.Context, repo string, progress io.Writer) (clean, edited time.Duration, err error) {
	if repo, err = filepath.Abs(repo); err != nil {
		return 0, 0, err
	}
	scratch, err := os.MkdirTemp("", "kinde-bench-build-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(scratch)
	if err := copyWorkspace(repo, scratch); err != nil {
		return 0, 0, fmt.Errorf("copying the workspace: %w", err)
	}
	build := func(what string) (time.Duration, error) {
		fmt.Fprintf(progress, "bench: cargo kinde build -p drip-feed (%s) in %s\n", what, scratch)
		cmd := exec.CommandContext(ctx, "cargo", "kinde", "build", "-p", "drip-feed")
		cmd.Dir = scratch
		cmd.Env = append(os.Environ(), "CARGO_TARGET_DIR="+filepath.Join(scratch, "target"))
		cmd.Stdout, cmd.Stderr = io.Discard, progress
		started := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("cargo kinde build -p drip-feed (%s): %w", what, err)
		}
		return time.Since(started), nil
	}
	if clean, err = build("clean"); err != nil {
		return 0, 0, err
	}
	if err := editOneLine(filepath.Join(scratch, editedSource), editFrom, editTo); err != nil {
		return 0, 0, err
	}
	edited, err = build("after a one-line change")
	return clean, edited, err
}

// editOneLine replaces from with to in path; from must be on exactly one line.
func editOneLine(path, from, to string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if n := strings.Count(string(text), from); n != 1 {
		return fmt.Errorf("the one-line change needs %s exactly once in %s, found %d", from, path, n)
	}
	return os.WriteFile(path, []byte(strings.Replace(string(text), from, to, 1)), 0o644)
}

// copyWorkspace copies what a build of the workspace needs from repo to dir.
func copyWorkspace(repo, dir string) error {
	for _, name := range workspaceFiles {
		if err := copyFile(filepath.Join(repo, name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for _, tree := range []string{"crates", "kindeSrc"} {
		if err := copyTree(filepath.Join(repo, tree), filepath.Join(dir, tree)); err != nil {
			return err
		}
	}
	return os.Symlink(filepath.Join(repo, "node_modules"), filepath.Join(dir, "node_modules"))
}

// copyTree copies a directory, leaving out build output (`target`).
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if entry.IsDir() {
			if entry.Name() == "target" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return copyFile(path, filepath.Join(to, rel))
	})
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	info, err := os.Stat(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, info.Mode().Perm())
}
