package auth0

import (
	"fmt"
	"net/http"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// RateLimited answers call (0: every call) with Auth0's rate-limit answer:
// 429 too_many_requests and the X-RateLimit-* headers.
func RateLimited(call int, resetUnix int64) Fault {
	f := exchange.JSONError("rate_limited", call, http.StatusTooManyRequests,
		`{"error":"too_many_requests","error_description":"Global limit has been reached"}`)
	f.Header["X-Ratelimit-Limit"] = []string{"100"}
	f.Header["X-Ratelimit-Remaining"] = []string{"0"}
	f.Header["X-Ratelimit-Reset"] = []string{fmt.Sprint(resetUnix)}
	return f
}

// ServerError answers call with a 5xx status and Auth0's server_error body.
func ServerError(call, status int) Fault {
	return exchange.JSONError("server_error", call, status,
		`{"error":"server_error","error_description":"Internal Server Error"}`)
}

// Unavailable answers call with 503 temporarily_unavailable.
func Unavailable(call int) Fault {
	return exchange.JSONError("unavailable", call, http.StatusServiceUnavailable,
		`{"error":"temporarily_unavailable","error_description":"The service is temporarily unavailable"}`)
}

// Slow delays the answer to call by d (or until the client gives up).
func Slow(call int, d time.Duration) Fault { return exchange.Slow(call, d) }

// Malformed answers call with 200 and a truncated JSON body.
func Malformed(call int) Fault { return exchange.Malformed(call) }

// Empty answers call with 200 and an empty body.
func Empty(call int) Fault { return exchange.Empty(call) }

// Dropped closes the connection of call without answering.
func Dropped(call int) Fault { return exchange.Dropped(call) }
