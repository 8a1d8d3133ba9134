package cognito

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator/peers/internal/exchange"
)

// Exchange is one recorded request and its answer (secrets redacted).
type Exchange = exchange.Exchange

// Fault replaces or delays answers; see the constructors in faults.go.
type Fault = exchange.Fault

// RequireMotoEnv, when set, turns a missing moto into a test failure instead
// of a skip (scripts/test sets it so CI never skips silently).
const RequireMotoEnv = "KINDE_REQUIRE_MOTO"

// Server is a seeded moto_server behind a recording, fault-injecting
// reverse proxy. The proxy forwards requests unchanged (Host included, so
// SigV4 signatures made for Server.URL verify); it does not sign anything.
type Server struct {
	// URL is the proxy's base URL; send Cognito requests to URL + "/".
	URL string
	// Region is the pool's region; sign with it (service "cognito-idp").
	Region string
	// Seeded holds the pool, client and IAM credential ids.
	Seeded

	proxy *exchange.Server
	moto  *motoProcess
}

// String keeps the client secret and IAM secret key out of logs.
func (s *Server) String() string {
	return fmt.Sprintf("cognito.Server{URL: %q, Region: %q, UserPoolID: %q, PublicClientID: %q, SecretClientID: %q, AccessKeyID: %q, secrets: [redacted]}",
		s.URL, s.Region, s.UserPoolID, s.PublicClientID, s.SecretClientID, s.AccessKeyID)
}

var redactor = exchange.Redactor{
	Fields:  []string{"PASSWORD", "NEW_PASSWORD", "SECRET_HASH", "AccessToken", "IdToken", "RefreshToken", "Session", "ClientSecret", "SecretAccessKey"},
	Headers: []string{"X-Amz-Security-Token"},
}

// New launches moto_server, seeds it and starts the proxy. The error wraps
// ErrMotoMissing (naming InstallCommand) when moto is not installed.
func New(config Config) (*Server, error) {
	if err := config.validate(); err != nil {
		return nil, err
	}
	config = config.withDefaults()
	path, err := motoServerPath()
	if err != nil {
		return nil, err
	}
	seed := &seeder{config: config, client: &http.Client{Timeout: 30 * time.Second}}
	steps := seed.steps()
	moto, err := startMoto(path, len(steps))
	if err != nil {
		return nil, err
	}
	seed.motoURL = moto.url
	for _, step := range steps {
		if err := step(); err != nil {
			moto.stop()
			return nil, fmt.Errorf("cognito peer: %w", err)
		}
	}
	if err := requireSignatures(seed); err != nil {
		moto.stop()
		return nil, err
	}
	target, _ := url.Parse(moto.url)
	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.Out.URL.Scheme, r.Out.URL.Host = target.Scheme, target.Host
		r.Out.Host = r.In.Host
	}}
	proxy, err := exchange.Serve(forward, redactor)
	if err != nil {
		moto.stop()
		return nil, fmt.Errorf("cognito peer: %w", err)
	}
	return &Server{URL: proxy.URL, Region: config.Region, Seeded: seed.out, proxy: proxy, moto: moto}, nil
}

// requireSignatures checks that seeding used up moto's unauthenticated budget:
// an unsigned admin call must now be refused.
func requireSignatures(seed *seeder) error {
	req, _ := http.NewRequest(http.MethodPost, seed.motoURL+"/", strings.NewReader(`{"UserPoolId":"`+seed.out.UserPoolID+`"}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DescribeUserPool")
	resp, err := seed.client.Do(req)
	if err != nil {
		return fmt.Errorf("cognito peer: probing moto: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return errors.New("cognito peer: moto still accepts unsigned requests after seeding (INITIAL_NO_AUTH_ACTION_COUNT does not match the seeding requests)")
	}
	return nil
}

// Start is New for tests: it closes the peer at cleanup, and skips t when moto
// is not installed unless KINDE_REQUIRE_MOTO is set (then it fails).
func Start(t testing.TB, config Config) *Server {
	t.Helper()
	s, err := New(config)
	if errors.Is(err, ErrMotoMissing) && os.Getenv(RequireMotoEnv) == "" {
		t.Skipf("%v (set %s=1 to fail instead of skipping)", err, RequireMotoEnv)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Close stops the proxy and moto_server.
func (s *Server) Close() error {
	err := s.proxy.Close()
	s.moto.stop()
	return err
}

// Requests returns the exchanges that went through the proxy, in order.
func (s *Server) Requests() []Exchange { return s.proxy.Requests() }

// Inject arms a fault (counted over calls from now on).
func (s *Server) Inject(f Fault) { s.proxy.Inject(f) }
