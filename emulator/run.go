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
	// setup, the bundle's top level, the call and waiting for the Promise.
	Timeout time.Duration
	// SecretKeys are env keys reported with isSecret: true.
	SecretKeys []string
	// HTTPClient sends kinde.fetch requests (http.DefaultClient if nil).
	HTTPClient *http.Client
}

// Run loads the project around projectDir and runs one workflow; see
// Project.Run. The record's DurationMs includes loading.
func Run(ctx context.Context, projectDir, workflowID string, event []byte, env map[string]string, opts Options) (*RunRecord, error) {
	started := time.Now()
	project, err := Load(projectDir)
	if err != nil {
		return nil, err
	}
	rec, err := project.Run(ctx, workflowID, event, env, opts)
	if rec != nil {
		rec.DurationMs = millis(time.Since(started))
	}
	return rec, err
}

// Run executes workflowID in a fresh VM, passing event (a JSON document;
// empty means {}) as the only argument of the default export, and env as
// the kinde.env variables. A rejected or timed-out workflow is reported in
// the record's Outcome; the error is only for problems before execution
// (unknown workflow, invalid event).
func (p *Project) Run(ctx context.Context, workflowID string, event []byte, env map[string]string, opts Options) (*RunRecord, error) {
	started := time.Now()
	wf, ok := p.Workflow(workflowID)
	if !ok {
		return nil, fmt.Errorf("no workflow with id %q in %s", workflowID, p.Dir)
	}
	arg, err := decodeEvent(event)
	if err != nil {
		return nil, err
	}
	limit := opts.Timeout
	if limit <= 0 {
		limit = DefaultTimeout
	}

	state := newRunState(env, opts, started.Add(limit))
	outcome, executeTime := p.execute(ctx, wf, arg, state, limit)
	logs, requests := state.snapshot()
	return &RunRecord{
		WorkflowID: wf.ID,
		Outcome:    outcome,
		Logs:       logs,
		Requests:   requests,
		Warnings:   p.bindingWarnings(wf),
		DurationMs: millis(time.Since(started)),
		CompileMs:  millis(p.LoadDuration),
		ExecuteMs:  millis(executeTime),
	}, nil
}

// execute runs the workflow and reports how its promise settled. The time
// limit interrupts running JS ("execution time exceeded at ...") and ends
// the wait for a promise that is still pending ("execution time exceeded").
func (p *Project) execute(ctx context.Context, wf *Workflow, arg any, state *runState, limit time.Duration) (Outcome, time.Duration) {
	started := time.Now()
	value, err := p.runtime.Execute(context.WithValue(ctx, runStateKey{}, state), kinderuntime.Call{
		Source:     wf.Bundle,
		Bindings:   wf.requested,
		TimeLimit:  limit,
		EntryPoint: EntryPoint,
		Args:       []any{arg},
		Logger:     state,
	})
	return outcomeOf(value, err), time.Since(started)
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
	encoded, err := json.Marshal(value)
	if err != nil {
		encoded, _ = json.Marshal(fmt.Sprint(value))
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
