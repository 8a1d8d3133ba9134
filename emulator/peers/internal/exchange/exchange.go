// Package exchange is the loopback HTTP plumbing the legacy identity-provider
// peers share: a server on 127.0.0.1 that records every request and its answer
// (with secrets redacted) and can replace answers with injected faults.
package exchange

import (
	"net/http"
	"time"
)

// Exchange is one request a peer received and the answer it gave, in the order
// requests arrived. Secrets (passwords, client secrets, tokens) are replaced by
// Redacted before they are stored.
type Exchange struct {
	// Method is the HTTP method, e.g. "POST".
	Method string
	// Path is the request path without the query.
	Path string
	// Query is the raw query string ("" when absent).
	Query string
	// Header holds the request headers (redacted ones read Redacted).
	Header http.Header
	// Body is the request body; JSON and form bodies are re-encoded when a field
	// had to be redacted.
	Body string
	// Status is the HTTP status answered; 0 when the connection was dropped.
	Status int
	// ResponseBody is the body answered, redacted like Body.
	ResponseBody string
	// Fault names the injected fault that shaped the answer ("" for none).
	Fault string
}

// Fault replaces or delays the peer's answer for matching calls.
type Fault struct {
	// Name labels the fault in Exchange.Fault; defaults to "fault".
	Name string
	// Call is the 1-based index of the call (counted over every request the
	// peer receives after Inject) the fault applies to; 0 means every call.
	Call int
	// Delay holds the answer back this long (or until the client gives up or the
	// server closes) before it is written.
	Delay time.Duration
	// Status, when non-zero, replaces the peer's answer by this status, Header
	// and Body; the peer's own handler does not run.
	Status int
	// Header is sent with Status.
	Header http.Header
	// Body is sent with Status; "" sends an empty body.
	Body string
	// DropConnection closes the connection without any answer.
	DropConnection bool
}

// Redacted replaces every secret value in recorded exchanges.
const Redacted = "[redacted]"

func (f Fault) name() string {
	if f.Name == "" {
		return "fault"
	}
	return f.Name
}

// replaces reports whether the fault answers instead of the peer.
func (f Fault) replaces() bool { return f.Status != 0 || f.DropConnection }
