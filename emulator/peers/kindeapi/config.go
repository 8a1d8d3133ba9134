package kindeapi

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Defaults used when a Config leaves a field empty.
const (
	// DefaultAddr listens on an ephemeral loopback port.
	DefaultAddr = "127.0.0.1:0"
	// DefaultClientID is the M2M application's client id.
	DefaultClientID = "kinde-api-peer-m2m"
	// DefaultTokenLifetime matches Kinde's M2M access tokens (one day).
	DefaultTokenLifetime = 24 * time.Hour
)

// DefaultClientSecret is the M2M application's client secret.
var DefaultClientSecret = NewSecret("kinde-api-peer-m2m-secret")

// DefaultScopes are the scopes granted to the M2M application: what a
// migration workflow needs.
var DefaultScopes = []string{"read:users", "create:users", "update:user_passwords"}

// DuplicateEmailPolicy is what `POST /api/v1/user` does when a user with
// the same e-mail identity exists. Kinde does not document it.
type DuplicateEmailPolicy int

const (
	// AllowDuplicate creates a second user with the same e-mail: the worst
	// case, so a test can prove a workflow never creates duplicates.
	AllowDuplicate DuplicateEmailPolicy = iota
	// RejectDuplicate answers 400 with the error code USER_ALREADY_EXISTS
	// and creates nothing (400 is the only client-error status the spec
	// lists for createUser besides 403 and 429).
	RejectDuplicate
	// SkipDuplicateIdentity creates the user without the e-mail identity
	// and reports it with `identities[].result.created: false`, which the
	// spec's create_user_response makes room for.
	SkipDuplicateIdentity
)

// String names the policy.
func (p DuplicateEmailPolicy) String() string {
	switch p {
	case AllowDuplicate:
		return "allow"
	case RejectDuplicate:
		return "reject"
	case SkipDuplicateIdentity:
		return "skip-identity"
	default:
		return fmt.Sprintf("DuplicateEmailPolicy(%d)", int(p))
	}
}

// ParseDuplicateEmailPolicy reads "allow", "reject" or "skip-identity".
func ParseDuplicateEmailPolicy(name string) (DuplicateEmailPolicy, error) {
	for _, p := range []DuplicateEmailPolicy{AllowDuplicate, RejectDuplicate, SkipDuplicateIdentity} {
		if p.String() == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("kindeapi: unknown duplicate e-mail policy %q (want allow, reject or skip-identity)", name)
}

// Config sets up a Server. The zero value is usable.
type Config struct {
	// Addr is the listen address; DefaultAddr when empty.
	Addr string
	// PublicURL is the base URL clients know the peer by, when it is not
	// the loopback URL: e.g. "https://acme.kinde.com" when the emulator
	// routes that host to the peer. It is the tokens' issuer and, with
	// "/api", the audience a token request must name. Defaults to URL.
	PublicURL string
	// ClientID and ClientSecret are the M2M credentials the token endpoint
	// accepts; DefaultClientID and DefaultClientSecret when empty.
	ClientID     string
	ClientSecret Secret
	// Scopes granted to the client; DefaultScopes when nil.
	Scopes []string
	// TokenLifetime of access tokens; DefaultTokenLifetime when zero.
	TokenLifetime time.Duration
	// DuplicateEmail chooses how user creation treats a known e-mail.
	DuplicateEmail DuplicateEmailPolicy
	// AllowUnknownFields accepts request-body fields the spec's schemas do
	// not name. By default the peer is stricter than the spec (whose
	// schemas allow additional properties) and reports them as violations,
	// because Kinde ignores them silently: a misspelt field is a lost value.
	AllowUnknownFields bool
	// Clock gives the current time (token expiry, created_on); time.Now
	// when nil.
	Clock func() time.Time
	// SigningKey signs access tokens; a key generated once per process
	// when nil.
	SigningKey *rsa.PrivateKey
	// Sleep waits for a Delay fault; when nil, a timer that gives up when
	// the request's context ends.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnExchange, when set, is called after each exchange is recorded.
	OnExchange func(Exchange)
}

// withDefaults fills the empty fields of c.
func (c Config) withDefaults() (Config, error) {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.PublicURL != "" {
		public, err := url.Parse(c.PublicURL)
		if err != nil || (public.Scheme != "http" && public.Scheme != "https") || public.Host == "" ||
			strings.Trim(public.Path, "/") != "" || public.RawQuery != "" || public.Fragment != "" {
			return c, fmt.Errorf("kindeapi: Config.PublicURL %q must be a base URL such as https://acme.kinde.com", c.PublicURL)
		}
		c.PublicURL = public.Scheme + "://" + public.Host
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.ClientSecret.IsZero() {
		c.ClientSecret = DefaultClientSecret
	}
	if c.Scopes == nil {
		c.Scopes = append([]string(nil), DefaultScopes...)
	}
	if c.TokenLifetime == 0 {
		c.TokenLifetime = DefaultTokenLifetime
	}
	if c.TokenLifetime < time.Second {
		return c, fmt.Errorf("kindeapi: Config.TokenLifetime %v is shorter than a second", c.TokenLifetime)
	}
	if c.DuplicateEmail < AllowDuplicate || c.DuplicateEmail > SkipDuplicateIdentity {
		return c, fmt.Errorf("kindeapi: Config.DuplicateEmail has unknown value %d", int(c.DuplicateEmail))
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleepContext
	}
	if c.SigningKey == nil {
		key, err := processSigningKey()
		if err != nil {
			return c, err
		}
		c.SigningKey = key
	}
	return c, nil
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
