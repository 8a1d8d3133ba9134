package kindeapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// FaultKind is how an injected fault changes an answer.
type FaultKind int

const (
	// RateLimited answers 429 with `RateLimit-Reset: <ResetSeconds>` and an
	// errors body; nothing is applied.
	RateLimited FaultKind = iota + 1
	// ServerError answers Status (500 when zero) with an errors body;
	// nothing is applied.
	ServerError
	// Delayed waits Delay, then handles the request normally.
	Delayed
	// LostAnswer applies the request, then closes the connection without
	// answering: "the change happened but its answer was lost".
	LostAnswer
	// BadGatewayAfterCommit applies the request, then answers 502 as a
	// proxy would whose upstream answer was lost.
	BadGatewayAfterCommit
)

// String names the kind.
func (k FaultKind) String() string {
	switch k {
	case RateLimited:
		return "rate-limited"
	case ServerError:
		return "server-error"
	case Delayed:
		return "delayed"
	case LostAnswer:
		return "lost-answer"
	case BadGatewayAfterCommit:
		return "bad-gateway-after-commit"
	default:
		return fmt.Sprintf("FaultKind(%d)", int(k))
	}
}

// Fault makes matching calls misbehave.
type Fault struct {
	// Route is "METHOD /template" as in the spec, e.g.
	// "PUT /api/v1/users/{user_id}/password", or "POST /oauth2/token".
	Route string
	// Call is the 1-based number of the matching call to affect, counted
	// from when the fault is injected; 0 affects every matching call.
	Call int
	// Kind of misbehaviour.
	Kind FaultKind
	// Status for ServerError: 500–599, 500 when zero.
	Status int
	// ResetSeconds for RateLimited: the RateLimit-Reset header value.
	ResetSeconds int
	// Delay for Delayed: how long to wait before answering.
	Delay time.Duration
}

// armedFault is an injected fault and how many matching calls it has seen.
type armedFault struct {
	Fault
	seen int
}

// normalized checks f and fills its defaults; known reports whether a
// route exists.
func (f Fault) normalized(known func(route string) bool) (Fault, error) {
	method, path, ok := strings.Cut(f.Route, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return f, fmt.Errorf("kindeapi: Fault.Route %q is not \"METHOD /path/template\"", f.Route)
	}
	f.Route = strings.ToUpper(method) + " " + path
	if !known(f.Route) {
		return f, fmt.Errorf("kindeapi: Fault.Route %q names no operation of the spec nor the token/JWKS endpoints", f.Route)
	}
	if f.Call < 0 {
		return f, fmt.Errorf("kindeapi: Fault.Call %d is negative (0 = every call, N = the N-th)", f.Call)
	}
	switch f.Kind {
	case RateLimited:
		if f.ResetSeconds < 0 {
			return f, fmt.Errorf("kindeapi: Fault.ResetSeconds %d is negative", f.ResetSeconds)
		}
	case ServerError:
		if f.Status == 0 {
			f.Status = http.StatusInternalServerError
		}
		if f.Status < 500 || f.Status > 599 {
			return f, fmt.Errorf("kindeapi: Fault.Status %d is not a 5xx status", f.Status)
		}
	case Delayed:
		if f.Delay <= 0 {
			return f, fmt.Errorf("kindeapi: Fault.Delay %v must be positive for a Delayed fault", f.Delay)
		}
	case LostAnswer, BadGatewayAfterCommit:
	default:
		return f, fmt.Errorf("kindeapi: Fault.Kind %v is not a known fault kind", f.Kind)
	}
	return f, nil
}

// matchFault advances the counters of the faults on route and returns the
// first that fires for this call, or the zero Fault. Callers hold the
// server's lock.
func matchFault(faults []*armedFault, route string) Fault {
	var fired *armedFault
	for _, f := range faults {
		if f.Route != route {
			continue
		}
		f.seen++
		if fired == nil && (f.Call == 0 || f.Call == f.seen) {
			fired = f
		}
	}
	if fired == nil {
		return Fault{}
	}
	return fired.Fault
}
