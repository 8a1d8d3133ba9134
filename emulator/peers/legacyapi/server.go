package legacyapi

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"kindewasm/emulator/peers/internal/exchange"
)

// Exchange is one recorded request and its answer (passwords redacted;
// an encrypted body is recorded as the ciphertext it is).
type Exchange = exchange.Exchange

// Fault replaces or delays answers; see the constructors in faults.go.
type Fault = exchange.Fault

// Attempt is one credential check the peer made, without the password.
type Attempt struct {
	// Email is the e-mail as sent.
	Email string
	// Encrypted reports that the body came through kinde.secureFetch and was
	// decrypted by the peer.
	Encrypted bool
	// KnownUser reports that the e-mail belongs to an account.
	KnownUser bool
	// PasswordMatched reports that the password was the account's.
	PasswordMatched bool
	// Result is the verdict answered.
	Result Result
}

// Server is a running legacy endpoint.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:41234".
	URL string

	http *exchange.Server
	path string
	key  []byte

	mu         sync.Mutex
	users      map[string]User // by lower-cased e-mail
	attempts   []Attempt
	violations []string
}

// redactor hides what an exchange must not show in records.
var redactor = exchange.Redactor{Fields: []string{"password"}}

// New starts a peer on 127.0.0.1 with a free port.
func New(config Config) (*Server, error) {
	if err := config.validate(); err != nil {
		return nil, err
	}
	config = config.withDefaults()
	s := &Server{path: config.Path, users: map[string]User{}}
	if config.SecureFetchKey != "" {
		key, err := ParseKey(config.SecureFetchKey)
		if err != nil {
			return nil, fmt.Errorf("legacyapi peer: Config.SecureFetchKey: %w", err)
		}
		s.key = key
	}
	for _, u := range config.Users {
		s.users[strings.ToLower(strings.TrimSpace(u.Email))] = u
	}
	srv, err := exchange.Serve(s.handler(), redactor)
	if err != nil {
		return nil, fmt.Errorf("legacyapi peer: %w", err)
	}
	s.http, s.URL = srv, srv.URL
	return s, nil
}

// Start is New for tests: it fails t on error, and at cleanup closes the
// peer and fails t with every contract violation it saw.
func Start(t testing.TB, config Config) *Server {
	t.Helper()
	s, err := New(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		for _, v := range s.Violations() {
			t.Errorf("legacy endpoint peer: %s", v)
		}
	})
	return s
}

// EndpointURL is the validation endpoint on loopback: URL + Config.Path.
func (s *Server) EndpointURL() string { return s.URL + s.path }

// Path is the endpoint's path (Config.Path or DefaultPath).
func (s *Server) Path() string { return s.path }

// Close stops the peer.
func (s *Server) Close() error { return s.http.Close() }

// Requests returns the exchanges so far, in arrival order.
func (s *Server) Requests() []Exchange { return s.http.Requests() }

// Inject arms a fault (counted over calls from now on).
func (s *Server) Inject(f Fault) { s.http.Inject(f) }

// ClearFaults disarms every injected fault.
func (s *Server) ClearFaults() { s.http.ClearFaults() }

// Attempts returns the credential checks made so far, in order. Requests
// answered by a fault or refused as invalid are not attempts.
func (s *Server) Attempts() []Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Attempt(nil), s.attempts...)
}

// Violations returns the contract breaches seen so far, each naming what
// was wrong (never a value from the body).
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}
