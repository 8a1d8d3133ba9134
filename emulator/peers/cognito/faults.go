package cognito

import (
	"fmt"
	"net/http"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// ServiceError answers call (0: every call) the way Cognito reports errors:
// status with {"__type": errorType, "message": message}. Use it for answers
// moto cannot produce (PasswordResetRequiredException, TooManyRequestsException,
// InternalErrorException).
func ServiceError(call, status int, errorType, message string) Fault {
	f := exchange.JSONError(errorType, call, status, fmt.Sprintf(`{"__type":%q,"message":%q}`, errorType, message))
	f.Header["Content-Type"] = []string{"application/x-amz-json-1.1"}
	return f
}

// TooManyRequests answers call with 400 TooManyRequestsException.
func TooManyRequests(call int) Fault {
	return ServiceError(call, http.StatusBadRequest, "TooManyRequestsException", "Rate exceeded")
}

// InternalError answers call with 500 InternalErrorException.
func InternalError(call int) Fault {
	return ServiceError(call, http.StatusInternalServerError, "InternalErrorException", "Internal server error")
}

// PasswordResetRequired answers call with 400 PasswordResetRequiredException,
// which real Cognito sends for users whose password an admin reset and which
// moto 5.2.5 never sends.
func PasswordResetRequired(call int) Fault {
	return ServiceError(call, http.StatusBadRequest, "PasswordResetRequiredException", "Password reset required for the user")
}

// Slow delays the answer to call by d (or until the client gives up).
func Slow(call int, d time.Duration) Fault { return exchange.Slow(call, d) }

// Malformed answers call with 200 and a truncated JSON body.
func Malformed(call int) Fault { return exchange.Malformed(call) }

// Empty answers call with 200 and an empty body.
func Empty(call int) Fault { return exchange.Empty(call) }

// Dropped closes the connection of call without answering.
func Dropped(call int) Fault { return exchange.Dropped(call) }
