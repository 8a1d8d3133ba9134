package emulator

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"kindewasm/emulator/internal/kinderuntime"
)

// newRuntime returns a runtime with the native Kinde APIs this emulator
// provides: kinde.fetch, kinde.env.get and kinde.env.getEnvironmentVariable.
// The functions find the state of the run that calls them in their context.
func newRuntime() *kinderuntime.Runtime {
	rt := kinderuntime.New()
	kinde := rt.NativeAPI("kinde")
	kinde.Func("fetch", withRun(fetchBinding))
	env := kinde.API("env")
	env.Func("get", withRun(envBinding))
	env.Func("getEnvironmentVariable", withRun(envBinding))
	return rt
}

// withRun adapts a binding that needs the current run's state.
func withRun(fn func(ctx context.Context, run *runState, args []any) (any, error)) kinderuntime.NativeFunc {
	return func(ctx context.Context, _ kinderuntime.BindingSettings, args []any) (any, error) {
		run, ok := ctx.Value(runStateKey{}).(*runState)
		if !ok {
			return nil, fmt.Errorf("kinde emulator: binding called outside an emulated run")
		}
		return fn(ctx, run, args)
	}
}

// unsupportedBindings lists declared bindings that install nothing: neither
// a built-in binding (console, url, util, module) nor a path into the
// emulated kinde API.
func (p *Project) unsupportedBindings(declared map[string]kinderuntime.BindingSettings) []string {
	var names []string
	for name := range declared {
		if !p.runtime.Provides(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

type runStateKey struct{}

// runState is what the bindings of one run read and record. Access is
// locked because an abandoned (timed-out) run may still be writing.
type runState struct {
	env      map[string]string
	secrets  map[string]bool
	client   *http.Client
	deadline time.Time

	mu       sync.Mutex
	logs     []LogEntry
	requests []RequestRecord
}

func newRunState(env map[string]string, opts Options, deadline time.Time) *runState {
	secrets := map[string]bool{}
	for _, key := range opts.SecretKeys {
		secrets[key] = true
	}
	client := opts.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	return &runState{env: env, secrets: secrets, client: client, deadline: deadline}
}

// Log implements kinderuntime.Logger; the console binding calls it.
func (s *runState) Log(level kinderuntime.Level, params ...any) {
	entry := LogEntry{Level: levelName(level), Message: formatLogArgs(params)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = append(s.logs, entry)
}

func (s *runState) addRequest(req RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// snapshot copies what was recorded so far.
func (s *runState) snapshot() ([]LogEntry, []RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	logs := append([]LogEntry{}, s.logs...)
	requests := append([]RequestRecord{}, s.requests...)
	return logs, requests
}

// envBinding implements kinde.env.get and kinde.env.getEnvironmentVariable:
// {value, isSecret}, value null when the variable is not set.
func envBinding(_ context.Context, run *runState, args []any) (any, error) {
	key := ""
	if len(args) > 0 {
		key = fmt.Sprint(args[0])
	}
	var value any
	if v, ok := run.env[key]; ok {
		value = v
	}
	return map[string]any{"value": value, "isSecret": run.secrets[key]}, nil
}
