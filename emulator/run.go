package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"kindewasm/emulator/internal/kinderuntime"
)

// DefaultTimeout is the time limit used when Options.Timeout is zero.
// Kinde does not publish its production value.
const DefaultTimeout = 5 * time.Second

// EntryPoint is the method called when a workflow's default export is an
// object rather than a function.
const EntryPoint = "handle"

// timeExceeded is the runtime's interrupt message for the time limit.
const timeExceeded = kinderuntime.TimeExceeded

// Options tunes one run.
type Options struct {
	// Timeout is the run's time limit (DefaultTimeout if 0). It covers VM
	// setup, the bundle's top level, the call and waiting for the Promise;
	// every HTTP request is bounded by what is left of it.
	Timeout time.Duration
	// SecretKeys are env keys reported with isSecret: true; their values
	// are masked everywhere in the record.
	SecretKeys []string
	// Redact lists further values masked everywhere in the record.
	Redact []string
	// HTTPClient sends requests (http.DefaultClient if nil).
	HTTPClient *http.Client
	// Profile fixes what Kinde leaves undocumented about kinde.fetch.
	Profile Profile
	// Routes send production hosts to loopback servers; the first
	// matching route wins. Other non-loopback hosts are refused.
	Routes []Route
	// SecureFetchKey is the workflow's Base64 AES-256 key for
	// kinde.secureFetch; empty means the Project's generated key.
	SecureFetchKey string
	// Localization holds the strings kinde.localization.get returns
	// (missing keys give "").
	Localization map[string]string
	// FreshCompile compiles the bundle for this run instead of using the
	// Project's cache of compiled programs (which Kinde keeps per bundle),
	// so the run costs what a first execution does.
	FreshCompile bool
	// AfterRun, when set, is called as each call ends, while its VM is
	// still alive (outside the timings); benchmarks measure the memory a
	// run holds there.
	AfterRun func()
}

// Call is one execution in a RunSequence: its event (JSON; empty means
// {}) and kinde.env variables.
type Call struct {
	Event []byte
	Env   map[string]string
}

// Run loads the project around projectDir and runs one workflow; see
// Project.Run. The record's TotalMs includes loading.
func Run(ctx context.Context, projectDir, workflowID string, event []byte, env map[string]string, opts Options) (*RunRecord, error) {
	started := time.Now()
	project, err := Load(projectDir)
	if err != nil {
		return nil, err
	}
	rec, err := project.Run(ctx, workflowID, event, env, opts)
	if rec != nil {
		rec.Timings.TotalMs = millis(time.Since(started))
	}
	return rec, err
}

// Run executes workflowID in a fresh VM, passing event (a JSON document;
// empty means {}) as the only argument of the default export, and env as
// the kinde.env variables. A rejected or timed-out workflow is reported in
// the record's Outcome; the error is only for problems before execution
// (unknown workflow, invalid event or options).
func (p *Project) Run(ctx context.Context, workflowID string, event []byte, env map[string]string, opts Options) (*RunRecord, error) {
	records, err := p.RunSequence(ctx, workflowID, []Call{{Event: event, Env: env}}, opts)
	if err != nil {
		return nil, err
	}
	return records[0], nil
}

// RunSequence runs the calls one after another in ONE VM: the bundle's
// top level runs once and its default export is called once per call.
// Kinde uses a fresh VM per execution; this exists to test that state
// kept between calls recovers, e.g. a module instance after a trap. Each
// call has its own time limit, env and record.
func (p *Project) RunSequence(ctx context.Context, workflowID string, calls []Call, opts Options) ([]*RunRecord, error) {
	started := time.Now()
	wf, ok := p.Workflow(workflowID)
	if !ok {
		return nil, fmt.Errorf("no workflow with id %q in %s", workflowID, p.Dir)
	}
	if len(calls) == 0 {
		return nil, fmt.Errorf("no calls to run")
	}
	setup, err := p.runSetup(opts)
	if err != nil {
		return nil, err
	}
	steps := make([]kinderuntime.Step, len(calls))
	states := make([]*runState, len(calls))
	for i, call := range calls {
		arg, err := decodeEvent(call.Event)
		if err != nil {
			return nil, fmt.Errorf("call %d: %w", i+1, err)
		}
		states[i] = setup.newRunState(call.Env)
		steps[i] = kinderuntime.Step{
			Ctx:    context.WithValue(ctx, runStateKey{}, states[i]),
			Args:   []any{arg},
			Logger: states[i],
		}
	}

	prepared := time.Since(started)
	results := p.runtime.ExecuteSequence(kinderuntime.Call{
		Source:     wf.Bundle,
		SourceKey:  wf.bundleKey,
		Bindings:   wf.requested,
		TimeLimit:  setup.limit,
		EntryPoint: EntryPoint,
		BeforeStep: func(i int) { states[i].deadline = time.Now().Add(setup.limit) },
		AfterStep: func(int) {
			if opts.AfterRun != nil {
				opts.AfterRun()
			}
		},
		FreshCompile: opts.FreshCompile,
	}, steps)
	records := make([]*RunRecord, len(calls))
	for i, result := range results {
		state := states[i]
		total := result.Duration
		if i == 0 {
			total += prepared
		}
		rec := &RunRecord{
			WorkflowID: wf.ID,
			Profile:    opts.Profile.Name(),
			Outcome:    state.maskOutcome(outcomeOf(result.Value, result.Err)),
			Warnings:   p.bindingWarnings(wf),
			Timings: &Timings{
				TotalMs:   millis(total),
				CompileMs: millis(p.LoadDuration),
				ExecuteMs: millis(result.Duration),
				BindingMs: millis(state.clock.total),
			},
		}
		state.fillRecord(rec)
		records[i] = rec
	}
	return records, nil
}

// runSetup is what every call of a run shares.
type runSetup struct {
	opts      Options
	limit     time.Duration
	routes    []compiledRoute
	secureKey []byte
	client    *http.Client
}

// runSetup checks opts.
func (p *Project) runSetup(opts Options) (runSetup, error) {
	routes, err := compileRoutes(opts.Routes)
	if err != nil {
		return runSetup{}, err
	}
	encodedKey := opts.SecureFetchKey
	if encodedKey == "" {
		encodedKey = p.secureFetchKey
	}
	key, err := decodeSecureFetchKey(encodedKey)
	if err != nil {
		return runSetup{}, fmt.Errorf("Options.SecureFetchKey: %w", err)
	}
	limit := opts.Timeout
	if limit <= 0 {
		limit = DefaultTimeout
	}
	client := opts.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	return runSetup{opts: opts, limit: limit, routes: routes, secureKey: key, client: client}, nil
}

// newRunState prepares the state of one call.
func (s runSetup) newRunState(env map[string]string) *runState {
	secrets := map[string]bool{}
	redact := append([]string{}, s.opts.Redact...)
	for _, key := range s.opts.SecretKeys {
		secrets[key] = true
		if value, ok := env[key]; ok {
			redact = append(redact, value)
		}
	}
	if env == nil {
		env = map[string]string{}
	}
	return &runState{
		env:          env,
		secrets:      secrets,
		localization: s.opts.Localization,
		redact:       newRedactor(redact),
		routes:       s.routes,
		profile:      s.opts.Profile,
		secureKey:    s.secureKey,
		client:       s.client,
	}
}

// maskOutcome masks secret values in what the workflow settled with.
func (s *runState) maskOutcome(o Outcome) Outcome {
	o.Error = s.redact.text(o.Error)
	o.Stack = s.redact.text(o.Stack)
	if len(o.Value) > 0 {
		o.Value = json.RawMessage(s.redact.text(string(o.Value)))
	}
	return o
}

// outcomeOf converts what Execute returned into an Outcome.
func outcomeOf(value any, err error) Outcome {
	if err != nil {
		text := err.Error()
		first, _, _ := strings.Cut(text, "\n")
		return Outcome{
			Status:   StatusRejected,
			Error:    strings.TrimSpace(first),
			Stack:    text,
			TimedOut: strings.Contains(text, timeExceeded),
		}
	}
	encoded, err := marshalCompact(value)
	if err != nil {
		encoded, _ = marshalCompact(fmt.Sprint(value))
	}
	return Outcome{Status: StatusResolved, Value: encoded}
}

// decodeEvent parses the event JSON into the plain Go values that are
// handed to goja's ToValue.
func decodeEvent(event []byte) (any, error) {
	if len(strings.TrimSpace(string(event))) == 0 {
		return map[string]any{}, nil
	}
	var arg any
	if err := json.Unmarshal(event, &arg); err != nil {
		return nil, fmt.Errorf("event is not valid JSON: %w", err)
	}
	return arg, nil
}

func (p *Project) bindingWarnings(wf *Workflow) []string {
	var warnings []string
	for _, name := range p.unsupportedBindings(wf.requested) {
		warnings = append(warnings, fmt.Sprintf("binding %q is declared but not emulated: it is undefined in the VM", name))
	}
	return warnings
}
