package kinderuntime

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// writeFiles creates files (slash-separated paths relative to dir).
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindConfigWalksUpAndDefaultsRootDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"kinde.json":               `{"version": "2024-12-09"}`,
		"kindeSrc/deep/file.ts":    "",
		"custom/kinde.json":        `{"version": "v", "rootDir": "src"}`,
		"broken/kinde.json":        `{"version": 3, "rootDir": "x"`,
		"typed/kinde.json":         `{"version": 3, "rootDir": "y"}`,
		"custom/src/nested/a.json": "",
	})

	tests := []struct {
		start string
		want  Config
	}{
		{dir, Config{Dir: dir, Version: "2024-12-09", RootDir: "kindeSrc"}},
		{filepath.Join(dir, "kindeSrc", "deep"), Config{Dir: dir, Version: "2024-12-09", RootDir: "kindeSrc"}},
		{filepath.Join(dir, "kindeSrc", "deep", "file.ts"), Config{Dir: dir, Version: "2024-12-09", RootDir: "kindeSrc"}},
		{filepath.Join(dir, "custom", "src", "nested"), Config{Dir: filepath.Join(dir, "custom"), Version: "v", RootDir: "src"}},
		// Malformed JSON is read as empty; a mistyped field is skipped.
		{filepath.Join(dir, "broken"), Config{Dir: filepath.Join(dir, "broken"), RootDir: "kindeSrc"}},
		{filepath.Join(dir, "typed"), Config{Dir: filepath.Join(dir, "typed"), RootDir: "y"}},
	}
	for _, tt := range tests {
		got, err := FindConfig(tt.start)
		if err != nil || got != tt.want {
			t.Errorf("FindConfig(%s) = %+v, %v; want %+v", tt.start, got, err, tt.want)
		}
	}
	if got := (Config{Dir: "/p", RootDir: "src"}).WorkflowsDir(); got != filepath.FromSlash("/p/src/environment/workflows") {
		t.Errorf("WorkflowsDir = %s", got)
	}
}

func TestFindConfigFailsWithoutKindeJSON(t *testing.T) {
	if _, err := FindConfig(t.TempDir()); err == nil {
		t.Error("want an error when no kinde.json exists up to the root")
	}
	if _, err := FindConfig(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("want an error for a missing start directory")
	}
}

func TestIsWorkflowEntry(t *testing.T) {
	for name, want := range map[string]bool{
		"Workflow.ts":        true,
		"workflow.js":        true,
		"WORKFLOW.TS":        true,
		"myWorkflow.js":      true,
		"post-workflow.ts":   true,
		"Workflow.tsx":       false,
		"Workflow.jsx":       false,
		"Workflow.mjs":       false,
		"workflows.ts":       false,
		"rust-module.js":     false,
		"Workflow.ts.bak":    false,
		"helper.workflow.ts": true,
	} {
		if got := IsWorkflowEntry(name); got != want {
			t.Errorf("IsWorkflowEntry(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFindWorkflowEntries(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"b/Workflow.ts":               "",
		"a/myWORKFLOW.JS":             "",
		"a/helper.js":                 "",
		"c/Workflow.tsx":              "",
		"d/deeper/nested/Workflow.js": "",
		"e.workflow.ts/readme.md":     "", // a directory with an entry-like name
	})

	got, err := FindWorkflowEntries(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "a", "myWORKFLOW.JS"),
		filepath.Join(dir, "b", "Workflow.ts"),
		filepath.Join(dir, "d", "deeper", "nested", "Workflow.js"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries = %v\nwant      %v", got, want)
	}

	missing, err := FindWorkflowEntries(filepath.Join(dir, "nope"))
	if missing != nil || err != nil {
		t.Errorf("missing dir: %v, %v; want nothing", missing, err)
	}
}

func TestBundleWorkflowUsesKindeOptions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Workflow.ts": `import { used } from "./helper";
import { Widget } from "./widget";
export const workflowSettings = { id: "x", trigger: "t" };
export default async function (event: { n: number }) {
  const unusedLocal = 1;
  return used(event.n) + String(typeof Widget);
}`,
		"helper.ts":  "export function used(n: number): number { return n * 2 }\nexport function neverUsed() { return 'TREE_SHAKEN_AWAY' }\n",
		"widget.tsx": "export const Widget = () => <div>hi</div>;\n",
	})

	bundle := BundleWorkflow(filepath.Join(dir, "Workflow.ts"))
	if len(bundle.Errors) != 0 || bundle.Outputs != 1 {
		t.Fatalf("errors %v, outputs %d", bundle.Errors, bundle.Outputs)
	}
	src := string(bundle.Source)
	if bundle.Hash == "" {
		t.Error("no hash")
	}
	if !strings.Contains(src, "module.exports=") {
		t.Errorf("not CommonJS: %s", src)
	}
	if strings.Contains(src, "TREE_SHAKEN_AWAY") {
		t.Error("unused export was not tree-shaken")
	}
	if strings.Contains(src, "unusedLocal") || strings.Contains(src, "\n  ") {
		t.Error("bundle is not minified")
	}
	if !strings.Contains(src, "React.createElement") {
		t.Error(".tsx was not loaded as TSX")
	}
	const marker = "//# sourceMappingURL=data:application/json;base64,"
	at := strings.LastIndex(src, marker)
	if at < 0 {
		t.Fatal("no inline source map")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(src[at+len(marker):]))
	if err != nil {
		t.Fatal(err)
	}
	var sourceMap struct {
		Sources        []string `json:"sources"`
		SourcesContent []string `json:"sourcesContent"`
	}
	if err := json.Unmarshal(raw, &sourceMap); err != nil {
		t.Fatal(err)
	}
	sort.Strings(sourceMap.Sources)
	wantSources := []string{"../Workflow.ts", "../helper.ts", "../widget.tsx"}
	if !reflect.DeepEqual(sourceMap.Sources, wantSources) || len(sourceMap.SourcesContent) != 3 {
		t.Errorf("source map sources %v with %d contents", sourceMap.Sources, len(sourceMap.SourcesContent))
	}
}

func TestBundleWorkflowReportsBuildErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		// Platform "default" does not resolve Node built-ins.
		"Workflow.ts": `import fs from "fs"; export default async () => fs;`,
	})

	bundle := BundleWorkflow(filepath.Join(dir, "Workflow.ts"))
	if len(bundle.Errors) == 0 || bundle.Outputs != 0 || bundle.Source != nil {
		t.Fatalf("bundle = %+v, want a build error and no output", bundle)
	}
	if !strings.Contains(bundle.Errors[0].Text, `"fs"`) {
		t.Errorf("error = %q", bundle.Errors[0].Text)
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"kinde.json": `{"version": "1", "rootDir": "src"}`,
		"src/environment/workflows/ok/Workflow.js": `export const workflowSettings = {id: "ok", trigger: "t", n: 1, bindings: {"kinde.fetch": {}, console: {level: "x"}, url: null}};
export default async () => 1;`,
		"src/environment/workflows/throws/Workflow.js": `console.log("top level"); export default async () => 1;`,
		"src/environment/workflows/fn/Workflow.js":     `export const workflowSettings = {id: "fn", check() {}}; export default async () => 1;`,
		"src/environment/workflows/broken/Workflow.ts": `export const = ;`,
		"src/environment/pages/x/page.tsx":             `export default () => null;`,
	})

	project, err := Discover(filepath.Join(dir, "src"))
	if err != nil {
		t.Fatal(err)
	}
	if project.Dir != dir || project.RootDir != "src" || project.Version != "1" {
		t.Errorf("config = %+v", project.Config)
	}
	byDir := map[string]Workflow{}
	for _, wf := range project.Workflows {
		byDir[filepath.Base(filepath.Dir(wf.Entry))] = wf
	}
	if len(byDir) != 4 {
		t.Fatalf("workflows = %v, want 4 (pages are not workflows)", byDir)
	}

	ok := byDir["ok"]
	wantSettings := map[string]any{"id": "ok", "trigger": "t", "n": 1.0, "bindings": map[string]any{
		"kinde.fetch": map[string]any{}, "console": map[string]any{"level": "x"}, "url": nil,
	}}
	wantBindings := map[string]BindingSettings{"kinde.fetch": {}, "console": {"level": "x"}, "url": nil}
	if len(ok.Errors) != 0 || !reflect.DeepEqual(ok.Settings, wantSettings) || !reflect.DeepEqual(ok.Bindings, wantBindings) {
		t.Errorf("ok = errors %v settings %v bindings %v", ok.Errors, ok.Settings, ok.Bindings)
	}

	// The settings run has no bindings at all, not even console.
	if errs := byDir["throws"].Errors; len(errs) != 1 || !strings.HasPrefix(errs[0], "ReferenceError: console is not defined") {
		t.Errorf("throws errors = %q", errs)
	}
	fn := byDir["fn"]
	if len(fn.Errors) != 0 || fn.Settings != nil || len(fn.Warnings) != 1 {
		t.Errorf("fn = settings %v errors %v warnings %v; want the settings dropped with a warning", fn.Settings, fn.Errors, fn.Warnings)
	}
	if broken := byDir["broken"]; len(broken.BuildErrors) == 0 || broken.Source != nil {
		t.Errorf("broken = %+v, want build errors", broken)
	}
}
