package exchange

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Redactor names what a peer's records must not show.
type Redactor struct {
	// Fields are JSON object keys (at any depth) and form field names whose
	// values are secrets; matched case-insensitively.
	Fields []string
	// Headers are request header names whose values are secrets. An
	// Authorization header keeps its scheme ("Basic [redacted]") except for
	// AWS SigV4, whose signature is a one-off MAC and not a secret.
	Headers []string
}

func (r Redactor) isSecretField(name string) bool {
	for _, f := range r.Fields {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
}

// header returns a copy of h with secret values replaced.
func (r Redactor) header(h http.Header) http.Header {
	out := h.Clone()
	for _, name := range r.Headers {
		if out.Get(name) != "" {
			out.Set(name, Redacted)
		}
	}
	if auth := out.Get("Authorization"); auth != "" && !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		scheme, _, found := strings.Cut(auth, " ")
		if found {
			out.Set("Authorization", scheme+" "+Redacted)
		} else {
			out.Set("Authorization", Redacted)
		}
	}
	return out
}

// body returns body with secret fields replaced, for JSON objects and
// form-encoded bodies; anything else is returned as it is.
func (r Redactor) body(body []byte, contentType string) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var doc map[string]any
		if json.Unmarshal(trimmed, &doc) == nil {
			if r.redactJSON(doc) {
				encoded, err := json.Marshal(doc)
				if err == nil {
					return string(encoded)
				}
			}
			return string(body)
		}
	}
	if strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			changed := false
			for name := range form {
				if r.isSecretField(name) {
					form[name] = []string{Redacted}
					changed = true
				}
			}
			if changed {
				return form.Encode()
			}
		}
	}
	return string(body)
}

// redactJSON replaces secret values in place and reports whether it did.
func (r Redactor) redactJSON(value any) bool {
	changed := false
	switch v := value.(type) {
	case map[string]any:
		for key, inner := range v {
			if r.isSecretField(key) {
				v[key] = Redacted
				changed = true
			} else if r.redactJSON(inner) {
				changed = true
			}
		}
	case []any:
		for _, inner := range v {
			if r.redactJSON(inner) {
				changed = true
			}
		}
	}
	return changed
}
