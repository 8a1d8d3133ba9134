package kinderuntime

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// ConfigFile is the name of a Kinde project's configuration file.
const ConfigFile = "kinde.json"

// DefaultRootDir is used when kinde.json has no rootDir.
const DefaultRootDir = "kindeSrc"

// entrySuffixes are the endings (compared in lower case) that make a file a
// workflow entry point.
var entrySuffixes = []string{"workflow.ts", "workflow.js"}

// Config is what Kinde reads from kinde.json.
type Config struct {
	// Dir is the absolute directory that holds kinde.json.
	Dir string
	// Version is kinde.json's "version".
	Version string
	// RootDir is kinde.json's "rootDir", DefaultRootDir when empty.
	RootDir string
}

// WorkflowsDir is <Dir>/<RootDir>/environment/workflows.
func (c Config) WorkflowsDir() string {
	return filepath.Join(c.Dir, c.RootDir, "environment", "workflows")
}

// FindConfig looks for kinde.json in start (its directory when start is a
// file) and then in each parent directory. Like Kinde, it gives up when the
// next directory to look in would be the filesystem root.
func FindConfig(start string) (Config, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return Config{}, err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return Config{}, err
	}
	if !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		candidate := filepath.Join(dir, ConfigFile)
		if _, err := os.Stat(candidate); err == nil {
			return readConfig(candidate)
		}
		parent := filepath.Dir(dir)
		if parent == dir || filepath.Dir(parent) == parent {
			return Config{}, fmt.Errorf("no %s in %s or its parents (the filesystem root is not searched)", ConfigFile, start)
		}
		dir = parent
	}
}

// readConfig reads kinde.json. Malformed JSON is not an error: whatever
// fields could be decoded are kept, as Kinde does.
func readConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading %s: %w", path, err)
	}
	var fields struct {
		Version string `json:"version"`
		RootDir string `json:"rootDir"`
	}
	_ = json.Unmarshal(data, &fields)
	cfg := Config{Dir: filepath.Dir(path), Version: fields.Version, RootDir: fields.RootDir}
	if cfg.RootDir == "" {
		cfg.RootDir = DefaultRootDir
	}
	return cfg, nil
}

// IsWorkflowEntry reports whether a file name marks a workflow entry point:
// its lower-cased name ends in "workflow.ts" or "workflow.js".
func IsWorkflowEntry(name string) bool {
	lower := strings.ToLower(name)
	for _, suffix := range entrySuffixes {
		if strings.HasSuffix(lower, suffix) {
			return true
		}
	}
	return false
}

// FindWorkflowEntries lists the workflow entry files under dir, in lexical
// walk order. A missing dir yields no entries and no error.
func FindWorkflowEntries(dir string) ([]string, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, nil
	}
	var entries []string
	err := filepath.Walk(dir, func(path string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() && IsWorkflowEntry(info.Name()) {
			entries = append(entries, path)
		}
		return nil
	})
	return entries, err
}

// Project is a discovered Kinde project.
type Project struct {
	Config
	// Workflows are in discovery order.
	Workflows []Workflow
}

// Workflow is one bundled workflow and what its bundle declares.
type Workflow struct {
	// Entry is the entry file's absolute path.
	Entry string
	// Source is the CommonJS bundle (with an inline source map).
	Source []byte
	// Hash is esbuild's hash of Source.
	Hash string
	// BuildErrors are esbuild's errors.
	BuildErrors []api.Message
	// Errors are problems found after bundling (several output files, a
	// top level that throws, no default function export, ...).
	Errors []string
	// Warnings explain settings that were dropped (see ReadSettings).
	Warnings []string
	// Settings is workflowSettings after a JSON round trip.
	Settings map[string]any
	// Bindings is workflowSettings.bindings.
	Bindings map[string]BindingSettings
}

// Discover finds the project around start, then bundles every workflow
// entry and reads its settings. Problems with a single workflow are
// recorded on it; the error is for a missing or unreadable kinde.json and
// an unreadable workflows directory.
func Discover(start string) (*Project, error) {
	cfg, err := FindConfig(start)
	if err != nil {
		return nil, err
	}
	entries, err := FindWorkflowEntries(cfg.WorkflowsDir())
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", cfg.WorkflowsDir(), err)
	}
	project := &Project{Config: cfg}
	for _, entry := range entries {
		project.Workflows = append(project.Workflows, loadWorkflow(entry))
	}
	return project, nil
}

// loadWorkflow bundles one entry and reads its settings.
func loadWorkflow(entry string) Workflow {
	wf := Workflow{Entry: entry}
	bundle := BundleWorkflow(entry)
	wf.BuildErrors = bundle.Errors
	if bundle.Outputs == 0 {
		return wf
	}
	if bundle.Outputs > 1 {
		wf.Errors = append(wf.Errors, fmt.Sprintf("esbuild produced %d output files; only a single output is supported", bundle.Outputs))
	}
	wf.Source = bundle.Source
	wf.Hash = bundle.Hash
	settings, err := ReadSettings(bundle.Source)
	if err != nil {
		wf.Errors = append(wf.Errors, err.Error())
		return wf
	}
	wf.Settings = settings.Values
	wf.Bindings = settings.Bindings
	if settings.Dropped != nil {
		wf.Warnings = append(wf.Warnings, settings.Dropped.Error())
	}
	return wf
}
