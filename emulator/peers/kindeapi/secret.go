package kindeapi

import "fmt"

// redacted replaces secret values in logs, records and errors.
const redacted = "[REDACTED]"

// Secret holds a value that must never be printed: a client secret, a
// password hash, a salt. Formatting it (any verb) or encoding it as JSON
// yields "[REDACTED]"; Reveal returns the value. The value sits behind a
// pointer so that even fmt's reflection (a bad verb on an enclosing
// struct) prints an address, not the value.
type Secret struct {
	value *string
}

// NewSecret wraps value.
func NewSecret(value string) Secret { return Secret{value: &value} }

// Reveal returns the wrapped value ("" for the zero Secret).
func (s Secret) Reveal() string {
	if s.value == nil {
		return ""
	}
	return *s.value
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v redacts too.
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" whatever the verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON encodes "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
