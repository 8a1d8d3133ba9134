package kindeapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Exchange is one request the peer received and what it answered.
// Secret values (client_secret, access_token, hashed_password, salts and
// keys) are replaced by "[REDACTED]" in the recorded bodies.
type Exchange struct {
	// Method and Path of the request; Query is its raw query string.
	Method, Path, Query string
	// Route is "METHOD /template" of the matched operation ("" if none).
	Route string
	// RequestBody is the redacted request body.
	RequestBody string
	// Status is the answer's status; 0 when the answer was lost.
	Status int
	// ResponseBody is the redacted answer body.
	ResponseBody string
	// Fault is the injected fault that shaped the answer, if any.
	Fault FaultKind
	// Violations found in this exchange (also in Server.Violations).
	Violations []Violation
}

// String renders the exchange on one line for logs.
func (e Exchange) String() string {
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	status := fmt.Sprint(e.Status)
	if e.Status == 0 {
		status = "no answer"
	}
	line := fmt.Sprintf("%s %s -> %s", e.Method, target, status)
	if e.Fault != 0 {
		line += " [fault: " + e.Fault.String() + "]"
	}
	for _, v := range e.Violations {
		line += "\n  " + v.String()
	}
	return line
}

// ViolationKind says who broke the contract.
type ViolationKind string

const (
	// RequestViolation: the client sent a request the spec forbids.
	RequestViolation ViolationKind = "request"
	// ResponseViolation: the peer answered something the spec forbids (a
	// bug in the peer).
	ResponseViolation ViolationKind = "response"
	// UnsupportedRequest: a valid request the peer does not model, so its
	// behaviour cannot be trusted.
	UnsupportedRequest ViolationKind = "unsupported"
)

// Violation is a breach of the Management API contract seen by the peer.
type Violation struct {
	Kind   ViolationKind
	Method string
	Path   string
	// Route is "METHOD /template" of the matched operation ("" if none).
	Route string
	// Problem names what is wrong, e.g. `body: property "hashed_password" is missing`.
	Problem string
}

// String renders the violation on one line.
func (v Violation) String() string {
	return fmt.Sprintf("%s violation on %s %s: %s", v.Kind, v.Method, v.Path, v.Problem)
}

// secretFields are body fields whose values are never recorded.
var secretFields = map[string]bool{
	"access_token":    true,
	"client_secret":   true,
	"hashed_password": true,
	"password":        true,
	"salt":            true,
	"salt_separator":  true,
	"signer_key":      true,
}

// redactBody returns body with the values of secret fields replaced. JSON
// and form bodies are re-encoded (keys sorted); a body in neither form is
// summarised by its size, as it could hold anything.
func redactBody(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return fmt.Sprintf("[%d bytes of malformed form data]", len(body))
		}
		for key := range form {
			if secretFields[key] {
				form[key] = []string{redacted}
			}
		}
		return form.Encode()
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return fmt.Sprintf("[%d bytes, not JSON]", len(body))
	}
	encoded, err := json.Marshal(redactJSON(value))
	if err != nil {
		return fmt.Sprintf("[%d bytes, not re-encodable]", len(body))
	}
	return string(encoded)
}

// redactJSON replaces the values of secret fields anywhere in value.
func redactJSON(value any) any {
	switch v := value.(type) {
	case map[string]any:
		for key, inner := range v {
			if secretFields[key] {
				v[key] = redacted
			} else {
				v[key] = redactJSON(inner)
			}
		}
	case []any:
		for i, inner := range v {
			v[i] = redactJSON(inner)
		}
	}
	return value
}
