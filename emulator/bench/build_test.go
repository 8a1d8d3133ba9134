package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyWorkspace copies the root files, crates/ and kindeSrc/ (without build
// output) and links node_modules, so the scratch build uses the same tools.
func TestCopyWorkspaceLeavesOutTargetAndLinksNodeModules(t *testing.T) {
	repo, dir := t.TempDir(), t.TempDir()
	files := map[string]string{
		"Cargo.toml": "[workspace]", "Cargo.lock": "# lock", "kinde.json": "{}", "package.json": "{}", "package-lock.json": "{}",
		"crates/drip-feed/src/lib.rs":           "pub fn f() {}",
		"crates/drip-feed/target/debug/big":     "build output",
		"kindeSrc/environment/workflows/x/W.ts": "export {}",
		"node_modules/esbuild/package.json":     `{"version":"0.24.0"}`,
	}
	for name, text := range files {
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyWorkspace(repo, dir); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if name == "crates/drip-feed/target/debug/big" {
			if err == nil {
				t.Errorf("build output %s was copied", name)
			}
			continue
		}
		if err != nil || string(got) != text {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	if link, err := os.Readlink(filepath.Join(dir, "node_modules")); err != nil || link != filepath.Join(repo, "node_modules") {
		t.Errorf("node_modules link = %q, %v", link, err)
	}
}

func TestTheOneLineChangeEditsExactlyOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.rs")
	if err := os.WriteFile(path, []byte("a\n"+editFrom+"\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := editOneLine(path, editFrom, editTo); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "a\n"+editTo+"\nb\n" {
		t.Fatalf("edited file = %q", got)
	}
	// Not found (or found twice): an error, so the benchmark never times a
	// build that changed nothing.
	if err := editOneLine(path, editFrom, editTo); err == nil {
		t.Fatal("a second edit of a line that is gone succeeded")
	}
}

func TestTheOneLineChangeTargetsTheDripFeedSource(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", editedSource))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(text), editFrom); n != 1 {
		t.Fatalf("%s holds %s %d times, want once", editedSource, editFrom, n)
	}
}
