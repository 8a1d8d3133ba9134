package emulator

import (
	"crypto/sha256"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"

	"kindewasm/emulator/internal/kinderuntime"
)

// Project is a discovered and bundled Kinde project, ready to run.
type Project struct {
	// Dir is the directory holding kinde.json (found by walking up, as
	// Kinde does).
	Dir string `json:"dir"`
	// RootDir is kinde.json's rootDir ("kindeSrc" when unset).
	RootDir string `json:"rootDir"`
	// Version is kinde.json's version.
	Version string `json:"version"`
	// Workflows are the discovered workflows, sorted by ID.
	Workflows []*Workflow `json:"workflows"`
	// LoadDuration is how long discovery and bundling took.
	LoadDuration time.Duration `json:"-"`

	runtime        *kinderuntime.Runtime
	tokens         tokenCache
	secureFetchKey string
}

// Workflow is one bundled workflow.
type Workflow struct {
	// ID and Trigger come from workflowSettings.id and .trigger.
	ID      string `json:"id"`
	Trigger string `json:"trigger"`
	// Entry is the absolute path of the workflow's entry file.
	Entry string `json:"entry"`
	// Settings is the whole workflowSettings export, as JSON values.
	Settings map[string]any `json:"settings"`
	// Bindings is workflowSettings.bindings: name -> settings.
	Bindings map[string]map[string]any `json:"bindings"`
	// Bundle is esbuild's output (CommonJS with an inline source map).
	Bundle []byte `json:"-"`
	// BundleHash is esbuild's hash of Bundle.
	BundleHash string `json:"bundleHash"`
	// bundleKey is sha256(Bundle), the compiled-program cache key.
	bundleKey [sha256.Size]byte

	requested map[string]kinderuntime.BindingSettings
}

// DiscoveryError lists every problem that made a project fail to load, the
// way a Kinde sync fails as a whole.
type DiscoveryError struct {
	Dir      string
	Problems []string
}

// Error joins the problems into one line.
func (e *DiscoveryError) Error() string {
	return fmt.Sprintf("project %s: %s", e.Dir, strings.Join(e.Problems, "; "))
}

// Load discovers and bundles the project around projectDir (normally the
// directory holding kinde.json; kinde.json is looked for there and in its
// parents). It fails with a *DiscoveryError when any workflow does not
// bundle, its top-level code throws (it runs with no bindings), it lacks a
// default function export, or its id/trigger are missing or clash; and
// when there are no workflows.
func Load(projectDir string) (*Project, error) {
	info, err := os.Stat(projectDir)
	if err != nil {
		return nil, fmt.Errorf("project %s: %w", projectDir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("project %s: not a directory", projectDir)
	}

	started := time.Now()
	discovered, err := kinderuntime.Discover(projectDir)
	if err != nil {
		return nil, fmt.Errorf("project %s: %w", projectDir, err)
	}
	elapsed := time.Since(started)

	secureFetchKey, err := newSecureFetchKey()
	if err != nil {
		return nil, err
	}
	project := &Project{
		Dir:            discovered.Dir,
		RootDir:        discovered.RootDir,
		Version:        discovered.Version,
		LoadDuration:   elapsed,
		secureFetchKey: secureFetchKey,
	}
	project.runtime = project.newRuntime()
	var problems []string
	for _, found := range discovered.Workflows {
		wf, wfProblems := newWorkflow(found)
		problems = append(problems, wfProblems...)
		if wf != nil {
			project.Workflows = append(project.Workflows, wf)
		}
	}
	problems = append(problems, checkUnique(project.Workflows)...)
	if len(discovered.Workflows) == 0 {
		problems = append(problems, "no workflows found under "+discovered.WorkflowsDir())
	}
	if len(problems) > 0 {
		return nil, &DiscoveryError{Dir: project.Dir, Problems: problems}
	}
	sort.Slice(project.Workflows, func(i, j int) bool { return project.Workflows[i].ID < project.Workflows[j].ID })
	return project, nil
}

// newWorkflow converts one discovered workflow, returning its problems.
func newWorkflow(found kinderuntime.Workflow) (*Workflow, []string) {
	entry := found.Entry
	var problems []string
	for _, msg := range found.BuildErrors {
		problems = append(problems, fmt.Sprintf("%s: build error: %s", entry, formatBuildMessage(msg)))
	}
	for _, msg := range found.Errors {
		problems = append(problems, fmt.Sprintf("%s: %s", entry, msg))
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(found.Source) == 0 {
		return nil, []string{entry + ": empty bundle"}
	}

	wf := &Workflow{
		ID:         stringSetting(found.Settings, "id"),
		Trigger:    stringSetting(found.Settings, "trigger"),
		Entry:      entry,
		Settings:   found.Settings,
		Bindings:   map[string]map[string]any{},
		Bundle:     found.Source,
		BundleHash: found.Hash,
		bundleKey:  sha256.Sum256(found.Source),
		requested:  found.Bindings,
	}
	for name, settings := range wf.requested {
		wf.Bindings[name] = settings
	}
	why := ""
	if len(found.Warnings) > 0 {
		why = " (" + strings.Join(found.Warnings, "; ") + ")"
	}
	if wf.ID == "" {
		problems = append(problems, entry+": workflowSettings.id is missing"+why)
	}
	if wf.Trigger == "" {
		problems = append(problems, entry+": workflowSettings.trigger is missing"+why)
	}
	return wf, problems
}

// checkUnique reports duplicate ids and two workflows on one trigger, which
// Kinde's sync rejects.
func checkUnique(workflows []*Workflow) []string {
	var problems []string
	byID := map[string]string{}
	byTrigger := map[string]string{}
	for _, wf := range workflows {
		if prev, ok := byID[wf.ID]; ok && wf.ID != "" {
			problems = append(problems, fmt.Sprintf("duplicate workflow id %q (%s and %s)", wf.ID, prev, wf.Entry))
		}
		if prev, ok := byTrigger[wf.Trigger]; ok && wf.Trigger != "" {
			problems = append(problems, fmt.Sprintf("two workflows on trigger %q (%s and %s)", wf.Trigger, prev, wf.Entry))
		}
		byID[wf.ID] = wf.Entry
		byTrigger[wf.Trigger] = wf.Entry
	}
	return problems
}

func stringSetting(settings map[string]any, key string) string {
	s, _ := settings[key].(string)
	return s
}

// formatBuildMessage renders an esbuild message as "file:line:col: text".
func formatBuildMessage(m api.Message) string {
	if m.Location == nil {
		return m.Text
	}
	return fmt.Sprintf("%s:%d:%d: %s", m.Location.File, m.Location.Line, m.Location.Column, m.Text)
}

// SecureFetchKey is the Base64 AES-256 key kinde.secureFetch uses when
// Options.SecureFetchKey is empty, generated at Load; a test decrypts
// with it.
func (p *Project) SecureFetchKey() string { return p.secureFetchKey }

// Workflow returns the workflow with the given id.
func (p *Project) Workflow(id string) (*Workflow, bool) {
	for _, wf := range p.Workflows {
		if wf.ID == id {
			return wf, true
		}
	}
	return nil, false
}
