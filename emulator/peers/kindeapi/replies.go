package kindeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// reply is an answer being prepared.
type reply struct {
	status int
	header http.Header
	body   []byte
	// offSpec marks a deliberate answer outside the spec (an injected 5xx,
	// 501 for an unmodelled request): it is not validated.
	offSpec bool
}

// jsonReply encodes value as a JSON answer.
func jsonReply(status int, value any) reply {
	body, err := json.Marshal(value)
	if err != nil {
		// Only the peer's own types are encoded; this is a bug in the peer.
		panic(fmt.Sprintf("kindeapi: encode %T: %v", value, err))
	}
	return reply{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
}

// errorsReply answers the spec's error_response.
func errorsReply(status int, problems ...problem) reply {
	return jsonReply(status, map[string][]problem{"errors": problems})
}

// rateLimitedReply answers 429 with the RateLimit-Reset header Kinde sends.
func rateLimitedReply(resetSeconds int) reply {
	answer := errorsReply(http.StatusTooManyRequests, problem{Code: "TOO_MANY_REQUESTS", Message: "Request was throttled."})
	answer.header.Set("RateLimit-Reset", fmt.Sprint(resetSeconds))
	return answer
}

// badGatewayReply is what a proxy answers when the upstream answer is lost.
func badGatewayReply() reply {
	return reply{
		status: http.StatusBadGateway,
		header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		body:   []byte("502 Bad Gateway\n"),
	}
}

// notModelled answers 501 for a valid request the peer does not model and
// records it, so no test passes on behaviour that was never modelled.
func notModelled(c *call, what string) reply {
	c.violate(UnsupportedRequest, what+" is not modelled by the peer")
	answer := errorsReply(http.StatusNotImplemented, problem{Code: "NOT_MODELLED", Message: what + " is not modelled by the peer"})
	answer.offSpec = true
	return answer
}

// routeNotFoundReply answers the spec's not_found_response.
func routeNotFoundReply() reply {
	return jsonReply(http.StatusNotFound, map[string]problem{
		"errors": {Code: "ROUTE_NOT_FOUND", Message: "The requested API route does not exist"},
	})
}

// methodNotAllowedReply answers 405 naming the allowed method.
func methodNotAllowedReply(allowed string) reply {
	answer := errorsReply(http.StatusMethodNotAllowed, problem{Code: "METHOD_NOT_ALLOWED", Message: "use " + allowed})
	answer.header.Set("Allow", allowed)
	return answer
}
