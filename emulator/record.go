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

// RunRecord is everything observed while running one workflow. Its JSON
// has a fixed field order and, apart from Timings, is deterministic for a
// deterministic workflow and peers. Secrets are masked (see Options).
type RunRecord struct {
	WorkflowID string `json:"workflowId"`
	// Profile is the name of the fetch profile the run used.
	Profile string  `json:"profile"`
	Outcome Outcome `json:"outcome"`
	// Logs are the console calls, in order.
	Logs []LogEntry `json:"logs"`
	// Requests are the kinde.fetch and kinde.secureFetch calls, in order.
	Requests []RequestRecord `json:"requests"`
	// Actions are the calls of action bindings (widget, auth, claims,
	// mfa, plan, localization), in order.
	Actions []Action `json:"actions"`
	// Claims are the custom claims set per token ("accessToken",
	// "idToken", "m2mToken"), when any were set.
	Claims map[string]map[string]json.RawMessage `json:"claims,omitempty"`
	// CacheLookups are the kinde.cache.jwtToken calls. Their JWKS
	// requests are not in Requests.
	CacheLookups []CacheLookup `json:"cacheLookups,omitempty"`
	// Warnings notes emulator-side caveats, e.g. declared bindings that the
	// emulator does not provide (they stay undefined in the VM).
	Warnings []string `json:"warnings,omitempty"`
	// Timings are the run's durations; nil when left out for comparable
	// output (see WithoutTimings).
	Timings *Timings `json:"timings,omitempty"`
}

// Timings are a run's durations in milliseconds.
type Timings struct {
	// TotalMs is the wall time of the run (for the package-level Run it
	// includes loading the project).
	TotalMs float64 `json:"totalMs"`
	// CompileMs is the time Load took to discover and bundle the project
	// (esbuild plus the settings introspection of every workflow).
	CompileMs float64 `json:"compileMs"`
	// ExecuteMs is the time spent executing: VM setup, goja compilation
	// (cached per bundle), top-level code, the call and promise polling.
	ExecuteMs float64 `json:"executeMs"`
	// BindingMs is the part of ExecuteMs spent inside native bindings
	// (HTTP, encryption, JWKS checks), without JS callbacks they make;
	// ExecuteMs - BindingMs is the workflow's own time.
	BindingMs float64 `json:"bindingMs"`
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

// RequestRecord is one kinde.fetch or kinde.secureFetch call as it was
// sent, with secrets masked.
type RequestRecord struct {
	// Binding is "fetch" or "secureFetch".
	Binding string `json:"binding"`
	Method  string `json:"method"`
	// URL is the URL the workflow asked for (the production URL).
	URL string `json:"url"`
	// RoutedTo is the URL actually dialled when a route matched.
	RoutedTo string `json:"routedTo,omitempty"`
	// Route is the matching route as "PATTERN=TARGET".
	Route   string            `json:"route,omitempty"`
	Headers map[string]string `json:"headers"`
	// Body is the request body as sent (for secureFetch: the ciphertext).
	Body string `json:"body"`
	// Encrypted reports a secureFetch body (AES-256-GCM, see README).
	Encrypted bool `json:"encrypted,omitempty"`
	// Status is the HTTP status received (0 when the request failed).
	Status int `json:"status,omitempty"`
	// ResponseBody is the response body (truncated to 16 KiB).
	ResponseBody string `json:"responseBody,omitempty"`
	// Error is why the request failed or was refused, or the error thrown
	// for a non-2xx status under a throw profile.
	Error string `json:"error,omitempty"`
}

// Action is one call of an action binding, e.g.
// {"kind": "widget.invalidateFormField", "args": ["p_password", "Wrong"]}.
type Action struct {
	// Kind is the binding path below kinde, e.g. "auth.denyAccess".
	Kind string `json:"kind"`
	// Args are the call's arguments as JSON, secrets masked.
	Args json.RawMessage `json:"args"`
}

// CacheLookup is one kinde.cache.jwtToken call.
type CacheLookup struct {
	Key string `json:"key"`
	// Result is "hit", or why the cached token was not used: "missing",
	// "expired", "invalid: <reason>".
	Result string `json:"result"`
	// JWKSURL is the validation key set's URL.
	JWKSURL string `json:"jwksUrl"`
	// Refreshed reports that onMissingOrExpired was called and its token
	// cached.
	Refreshed bool `json:"refreshed"`
	// Error is why onMissingOrExpired failed, if it did.
	Error string `json:"error,omitempty"`
}

// Resolved reports whether the workflow's promise resolved.
func (r *RunRecord) Resolved() bool { return r.Outcome.Status == StatusResolved }

// DecodeValue unmarshals the resolved value into v.
func (r *RunRecord) DecodeValue(v any) error { return json.Unmarshal(r.Outcome.Value, v) }

// WithoutTimings returns a copy of the record without Timings, for
// output that compares equal between runs.
func (r *RunRecord) WithoutTimings() *RunRecord {
	c := *r
	c.Timings = nil
	return &c
}

// ActionsOf returns the actions of one kind, in order.
func (r *RunRecord) ActionsOf(kind string) []Action {
	var found []Action
	for _, a := range r.Actions {
		if a.Kind == kind {
			found = append(found, a)
		}
	}
	return found
}

func millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
