package azureb2c

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"kindewasm/emulator/peers/internal/exchange"
)

// Exchange is one recorded request and its answer (secrets redacted).
type Exchange = exchange.Exchange

// Fault replaces or delays answers; see the constructors in faults.go.
type Fault = exchange.Fault

// Server is a running Azure AD B2C peer.
type Server struct {
	// URL is the base URL standing for https://{tenant}.b2clogin.com.
	URL string

	http   *exchange.Server
	config Config

	mu       sync.Mutex
	users    []User
	failures map[string]int // consecutive wrong passwords by sign-in name
	served   int            // requests answered, for correlation ids and tokens
}

var redactor = exchange.Redactor{
	Fields: []string{"password", "client_secret", "access_token", "id_token", "refresh_token"},
}

// New starts a peer on 127.0.0.1 with a free port.
func New(config Config) (*Server, error) {
	if err := config.validate(); err != nil {
		return nil, err
	}
	s := &Server{config: config.withDefaults(), users: append([]User(nil), config.Users...), failures: map[string]int{}}
	srv, err := exchange.Serve(s.handler(), redactor)
	if err != nil {
		return nil, fmt.Errorf("azureb2c peer: %w", err)
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

// TokenURL is the ROPC endpoint of policy on this peer.
func (s *Server) TokenURL(policy string) string {
	return fmt.Sprintf("%s/%s.onmicrosoft.com/%s/oauth2/v2.0/token", s.URL, s.config.Tenant, policy)
}

// Close stops the peer.
func (s *Server) Close() error { return s.http.Close() }

// Requests returns the exchanges so far, in order.
func (s *Server) Requests() []Exchange { return s.http.Requests() }

// Inject arms a fault (counted over calls from now on).
func (s *Server) Inject(f Fault) { s.http.Inject(f) }

// AddUser seeds a local account.
func (s *Server) AddUser(u User) error {
	if u.SignInName == "" {
		return fmt.Errorf("azureb2c peer: user has no SignInName")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, u)
	return nil
}

func (s *Server) findUser(signInName string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if strings.EqualFold(u.SignInName, signInName) {
			return u, true
		}
	}
	return User{}, false
}

func (s *Server) application(id string) (Application, bool) {
	for _, app := range s.config.Applications {
		if app.ID == id {
			return app, true
		}
	}
	return Application{}, false
}

func (s *Server) knownPolicy(policy string) bool {
	for _, p := range s.config.Policies {
		if strings.EqualFold(p, policy) {
			return true
		}
	}
	return false
}
