package azureb2c

import (
	"encoding/json"
	"net/http"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// trouble is an injected B2C error answer with a fixed correlation trailer.
func trouble(name string, call, status int, code, message string) Fault {
	body, _ := json.Marshal(map[string]string{
		"error":             code,
		"error_description": message + "\r\nCorrelation ID: 00000000-0000-4000-8000-fa0170000000\r\nTimestamp: 2026-01-01 00:00:00Z\r\n",
	})
	return exchange.JSONError(name, call, status, string(body))
}

// TemporarilyUnavailable answers call (0: every call) with 503 and
// AADB2C90035 ("The service is temporarily unavailable…").
func TemporarilyUnavailable(call int) Fault {
	return trouble("unavailable", call, http.StatusServiceUnavailable, "server_error",
		"AADB2C90035: The service is temporarily unavailable. Please retry after a few minutes.")
}

// InternalError answers call with 500 and AADB2C90085.
func InternalError(call int) Fault {
	return trouble("internal_error", call, http.StatusInternalServerError, "server_error",
		"AADB2C90085: The service has encountered an internal error. Please reauthenticate and try again.")
}

// Throttled answers call with 429 and AADB2C90244.
func Throttled(call int) Fault {
	return trouble("throttled", call, http.StatusTooManyRequests, "invalid_request",
		"AADB2C90244: There are too many requests at this moment. Please wait for some time and try again.")
}

// Slow delays the answer to call by d (or until the client gives up).
func Slow(call int, d time.Duration) Fault { return exchange.Slow(call, d) }

// Malformed answers call with 200 and a truncated JSON body.
func Malformed(call int) Fault { return exchange.Malformed(call) }

// Empty answers call with 200 and an empty body.
func Empty(call int) Fault { return exchange.Empty(call) }

// Dropped closes the connection of call without answering.
func Dropped(call int) Fault { return exchange.Dropped(call) }
