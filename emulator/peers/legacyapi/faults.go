package legacyapi

import (
	"fmt"
	"net/http"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// RateLimited answers call (0: every call) with 429, Retry-After and a JSON
// body that is not a verdict.
func RateLimited(call, retryAfterSeconds int) Fault {
	f := exchange.JSONError("rate_limited", call, http.StatusTooManyRequests,
		`{"error":"too_many_requests","error_description":"rate limit exceeded"}`)
	f.Header["Retry-After"] = []string{fmt.Sprint(retryAfterSeconds)}
	return f
}

// ServerError answers call with a 5xx status and a JSON error body.
func ServerError(call, status int) Fault {
	return exchange.JSONError("server_error", call, status,
		`{"error":"server_error","error_description":"internal error"}`)
}

// Slow delays the answer to call by d (or until the client gives up); the
// peer then answers normally.
func Slow(call int, d time.Duration) Fault { return exchange.Slow(call, d) }

// Malformed answers call with 200 and a truncated JSON body.
func Malformed(call int) Fault { return exchange.Malformed(call) }

// Empty answers call with 200 and an empty body.
func Empty(call int) Fault { return exchange.Empty(call) }

// Dropped closes the connection of call without answering.
func Dropped(call int) Fault { return exchange.Dropped(call) }
