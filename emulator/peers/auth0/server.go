package auth0

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// Exchange is one recorded request and its answer (secrets redacted).
type Exchange = exchange.Exchange

// Fault replaces or delays answers; see the constructors in faults.go.
type Fault = exchange.Fault

// Server is a running Auth0 peer.
type Server struct {
	// URL is the base URL; the token endpoint is URL + "/oauth/token".
	URL string

	http   *exchange.Server
	config Config

	mu       sync.Mutex
	users    map[string][]User // by connection name
	failures map[string]int    // consecutive failures by user and IP
	issued   int               // tokens issued, for deterministic token values
}

// redactor hides what an Auth0 exchange must not show in records.
var redactor = exchange.Redactor{
	Fields: []string{"password", "client_secret", "access_token", "id_token", "refresh_token", "mfa_token"},
}

// New starts a peer on 127.0.0.1 with a free port.
func New(config Config) (*Server, error) {
	if err := config.validate(); err != nil {
		return nil, err
	}
	s := &Server{
		config:   config.withDefaults(),
		users:    map[string][]User{},
		failures: map[string]int{},
	}
	for _, conn := range config.Connections {
		s.users[conn.Name] = append([]User(nil), conn.Users...)
	}
	srv, err := exchange.Serve(s.handler(), redactor)
	if err != nil {
		return nil, fmt.Errorf("auth0 peer: %w", err)
	}
	s.http, s.URL = srv, srv.URL
	return s, nil
}

// Start is New for tests: it fails t on error and closes the peer at cleanup.
func Start(t testing.TB, config Config) *Server {
	t.Helper()
	s, err := New(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Close stops the peer.
func (s *Server) Close() error { return s.http.Close() }

// Requests returns the exchanges so far, in order.
func (s *Server) Requests() []Exchange { return s.http.Requests() }

// Inject arms a fault (counted over calls from now on).
func (s *Server) Inject(f Fault) { s.http.Inject(f) }

// AddUser seeds a user into a configured connection.
func (s *Server) AddUser(connection string, u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[connection]; !ok {
		return fmt.Errorf("auth0 peer: no connection named %q", connection)
	}
	if u.Email == "" && u.Username == "" {
		return fmt.Errorf("auth0 peer: user has neither Email nor Username")
	}
	s.users[connection] = append(s.users[connection], u)
	return nil
}

// findUser looks a login name up in a connection (e-mail case-insensitively,
// username exactly).
func (s *Server) findUser(connection, login string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users[connection] {
		if (u.Email != "" && strings.EqualFold(u.Email, login)) || (u.Username != "" && u.Username == login) {
			return u, true
		}
	}
	return User{}, false
}

func (s *Server) now() time.Time { return s.config.Clock() }
