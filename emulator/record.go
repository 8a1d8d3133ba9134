package emulator

import (
	"encoding/json"
	"time"
)

// Outcome statuses.
const (
	StatusResolved = "resolved"
	StatusRejected = "rejected"
)

// RunRecord is everything observed while running one workflow.
type RunRecord struct {
	WorkflowID string          `json:"workflowId"`
	Outcome    Outcome         `json:"outcome"`
	Logs       []LogEntry      `json:"logs"`
	Requests   []RequestRecord `json:"requests"`
	// Warnings notes emulator-side caveats, e.g. declared bindings that the
	// emulator does not provide (they stay undefined in the VM).
	Warnings []string `json:"warnings,omitempty"`
	// DurationMs is the wall time of the Run call (for the package-level
	// Run it includes loading the project).
	DurationMs float64 `json:"durationMs"`
	// CompileMs is the time Load took to discover and bundle the project
	// (esbuild plus the settings introspection of every workflow).
	CompileMs float64 `json:"compileMs"`
	// ExecuteMs is the time spent in the runtime's Execute: VM setup, goja
	// compilation (cached per bundle), top-level code, the call and the
	// promise polling.
	ExecuteMs float64 `json:"executeMs"`
}

// Outcome is how the workflow's promise settled.
type Outcome struct {
	// Status is StatusResolved or StatusRejected.
	Status string `json:"status"`
	// Value is the resolved value as JSON (only when resolved).
	Value json.RawMessage `json:"value,omitempty"`
	// Error is the first line of the runtime's error text, e.g.
	// "Error: boom" or "ReferenceError: kinde is not defined at ...".
	Error string `json:"error,omitempty"`
	// Stack is the runtime's full error text; for a rejected Error it is the
	// JS stack that the runtime returns.
	Stack string `json:"stack,omitempty"`
	// TimedOut reports that the time limit stopped the workflow.
	TimedOut bool `json:"timedOut,omitempty"`
}

// LogEntry is one console call. Level is "info" (console.log and
// console.info, which the runtime does not tell apart), "debug", "warn" or
// "error".
type LogEntry struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

// RequestRecord is one kinde.fetch call as it was sent.
type RequestRecord struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	// Status is the HTTP status received (0 when the request failed).
	Status int `json:"status,omitempty"`
	// Error is the transport error, if any (it is also thrown into JS).
	Error string `json:"error,omitempty"`
}

// Resolved reports whether the workflow's promise resolved.
func (r *RunRecord) Resolved() bool { return r.Outcome.Status == StatusResolved }

// DecodeValue unmarshals the resolved value into v.
func (r *RunRecord) DecodeValue(v any) error { return json.Unmarshal(r.Outcome.Value, v) }

func millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
