package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// MinSecretLength is the shortest value a Scanner accepts: shorter values
// would match innocent text.
const MinSecretLength = 8

// Finding is a secret found in a scanned text. It names the secret by its
// label, never by its value.
type Finding struct {
	// Location says which text held it, e.g. "TestX/sub: run record, log 2".
	Location string
	// Secret is the label the secret was registered under.
	Secret string
}

// String renders the finding without the secret's value.
func (f Finding) String() string {
	return fmt.Sprintf("%s: contains secret %q", f.Location, f.Secret)
}

// Scanner looks for registered secrets in texts, also in the encodings a
// leak takes on its way: JSON string escaping, URL query and path escaping.
type Scanner struct {
	forms map[string][]string // label -> encodings of the value
}

// NewScanner returns an empty Scanner.
func NewScanner() *Scanner { return &Scanner{forms: map[string][]string{}} }

// Add registers a secret under label. A value shorter than MinSecretLength
// is refused (it would match innocent text); adding the same label again
// adds another value for it.
func (s *Scanner) Add(label, value string) error {
	if len(value) < MinSecretLength {
		return fmt.Errorf("secret %q is shorter than %d characters; the scan would report innocent matches", label, MinSecretLength)
	}
	quoted, _ := json.Marshal(value)
	for _, form := range []string{value, string(quoted[1 : len(quoted)-1]), url.QueryEscape(value), url.PathEscape(value)} {
		if !contains(s.forms[label], form) {
			s.forms[label] = append(s.forms[label], form)
		}
	}
	return nil
}

// Labels returns the registered labels, sorted.
func (s *Scanner) Labels() []string {
	labels := make([]string, 0, len(s.forms))
	for label := range s.forms {
		labels = append(labels, label)
	}
	sort.Strings(labels)
	return labels
}

// Scan reports every registered secret that occurs in text, one finding
// per secret, in label order.
func (s *Scanner) Scan(location, text string) []Finding {
	var findings []Finding
	for _, label := range s.Labels() {
		for _, form := range s.forms[label] {
			if strings.Contains(text, form) {
				findings = append(findings, Finding{Location: location, Secret: label})
				break
			}
		}
	}
	return findings
}

func contains(list []string, value string) bool {
	for _, v := range list {
		if v == value {
			return true
		}
	}
	return false
}
