package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// Redacted replaces every masked value in run records and logs.
const Redacted = "[redacted]"

// redactor masks secrets in everything a run record keeps: the values of
// secret env vars and Options.Redact wherever they occur, credential
// headers, and JSON, form and query fields whose names look like
// credentials (see isSensitiveName).
type redactor struct {
	mu      sync.Mutex
	seen    map[string]bool
	secrets []string // longest first, so a secret containing another goes first
}

// newRedactor masks the values given (see add).
func newRedactor(values []string) *redactor {
	r := &redactor{seen: map[string]bool{}}
	r.add(values...)
	return r
}

// add masks further values, and their JSON-escaped forms, from now on.
// Empty values are ignored.
func (r *redactor) add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		escaped, _ := json.Marshal(v)
		for _, s := range []string{v, strings.TrimSuffix(strings.TrimPrefix(string(escaped), `"`), `"`)} {
			if s != "" && !r.seen[s] {
				r.seen[s] = true
				r.secrets = append(r.secrets, s)
			}
		}
	}
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// text replaces every secret value occurring in s.
func (r *redactor) text(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	return s
}

// header masks a header value: credential headers entirely, secrets in
// any other.
func (r *redactor) header(name, value string) string {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return Redacted
	}
	if isSensitiveName(name) {
		return Redacted
	}
	return r.text(value)
}

// headers masks a flattened header map.
func (r *redactor) headers(h map[string]string) map[string]string {
	masked := make(map[string]string, len(h))
	for name, value := range h {
		masked[name] = r.header(name, value)
	}
	return masked
}

// body masks a request or response body: sensitive fields of a JSON or
// form body, then secret values anywhere.
func (r *redactor) body(body string) string {
	if masked, ok := maskJSONFields(body); ok {
		return r.text(masked)
	}
	if masked, ok := maskFormFields(body); ok {
		return r.text(masked)
	}
	return r.text(body)
}

// url masks sensitive query parameters and secret values in a URL.
func (r *redactor) url(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return r.text(raw)
	}
	if masked, ok := maskFormFields(u.RawQuery); ok {
		u.RawQuery = masked
	}
	return r.text(u.String())
}

// value masks secrets inside an arbitrary JSON-encodable value (as the
// arguments of an action) and returns it as JSON.
func (r *redactor) value(v any) json.RawMessage {
	encoded, err := marshalCompact(v)
	if err != nil {
		encoded, _ = marshalCompact(err.Error())
	}
	masked, ok := maskJSONFields(string(encoded))
	if !ok {
		masked = string(encoded)
	}
	return json.RawMessage(r.text(masked))
}

// isSensitiveName reports whether a field or header name looks like it
// holds a credential: it contains "password", "passwd" or "secret", or
// ends in "token" (ignoring case, "_" and "-"), e.g. hashed_password,
// client_secret, SECRET_HASH, refresh_token, mfa_token, IdToken. Names
// such as token_type or expires_in do not.
func isSensitiveName(name string) bool {
	n := strings.ToLower(name)
	n = strings.NewReplacer("_", "", "-", "", " ", "").Replace(n)
	return strings.Contains(n, "password") || strings.Contains(n, "passwd") ||
		strings.Contains(n, "secret") || strings.HasSuffix(n, "token") ||
		n == "apikey" || strings.HasSuffix(n, "apikey")
}

// maskJSONFields rewrites a JSON document with the values of sensitive
// object keys replaced by Redacted, keeping key order; the output is
// compact. ok is false when body is not a single JSON value.
func maskJSONFields(body string) (string, bool) {
	trimmed := strings.TrimSpace(body)
	if trimmed == "" || (trimmed[0] != '{' && trimmed[0] != '[') {
		return "", false
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	var out bytes.Buffer
	if err := copyJSONValue(dec, &out, false); err != nil {
		return "", false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", false
	}
	return out.String(), true
}

// copyJSONValue copies the next value from dec to out, or Redacted in its
// place when redact is set.
func copyJSONValue(dec *json.Decoder, out *bytes.Buffer, redact bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, isDelim := tok.(json.Delim)
	if !isDelim {
		if redact {
			tok = Redacted
		}
		encoded, err := marshalCompact(tok)
		if err != nil {
			return err
		}
		out.Write(encoded)
		return nil
	}
	if redact {
		out.WriteString(`"` + Redacted + `"`)
		return skipJSONContainer(dec)
	}
	out.WriteByte(byte(delim))
	for first := true; dec.More(); first = false {
		if !first {
			out.WriteByte(',')
		}
		childRedact := false
		if delim == '{' {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := key.(string)
			encoded, err := marshalCompact(name)
			if err != nil {
				return err
			}
			out.Write(encoded)
			out.WriteByte(':')
			childRedact = isSensitiveName(name)
		}
		if err := copyJSONValue(dec, out, childRedact); err != nil {
			return err
		}
	}
	end, err := dec.Token()
	if err != nil {
		return err
	}
	out.WriteByte(byte(end.(json.Delim)))
	return nil
}

// skipJSONContainer consumes the rest of an object or array whose opening
// delimiter was read.
func skipJSONContainer(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// marshalCompact encodes v as JSON without HTML escaping.
func marshalCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// maskFormFields masks the values of sensitive fields in an
// application/x-www-form-urlencoded string, keeping order and encoding.
// ok is false when s does not look like a form (no "=" pair).
func maskFormFields(s string) (string, bool) {
	if s == "" || strings.ContainsAny(s, " \n{}") || !strings.Contains(s, "=") {
		return "", false
	}
	pairs := strings.Split(s, "&")
	for i, pair := range pairs {
		rawKey, _, hasValue := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			return "", false
		}
		if hasValue && isSensitiveName(key) {
			pairs[i] = rawKey + "=" + Redacted
		}
	}
	return strings.Join(pairs, "&"), true
}
