package auth0

import (
	"fmt"
	"time"
)

// Grant types the peer understands.
const (
	// GrantPassword authenticates against the tenant's default directory.
	GrantPassword = "password"
	// GrantPasswordRealm authenticates against the connection named by realm.
	GrantPasswordRealm = "http://auth0.com/oauth/grant-type/password-realm"
)

// Config describes the tenant the peer plays.
type Config struct {
	// Domain is the tenant's host used as the token issuer; default
	// "legacy.auth0.com".
	Domain string
	// Clients are the applications allowed to call /oauth/token.
	Clients []Client
	// Connections are the database connections and their users.
	Connections []Connection
	// DefaultConnection is the tenant's "Default Directory" used by the
	// "password" grant; "" means unset (Auth0 then answers a server error).
	DefaultConnection string
	// BruteForceLimit is the number of consecutive failed logins for one user
	// from one IP after which Auth0 blocks further attempts
	// (too_many_attempts); 0 means Auth0's default of 10.
	BruteForceLimit int
	// SigningSecret signs ID tokens for clients without a secret; default
	// "auth0-peer-signing-secret".
	SigningSecret string
	// Clock gives the time for token claims; default time.Now.
	Clock func() time.Time
}

// Client is an Auth0 application.
type Client struct {
	// ID is the client_id.
	ID string
	// Secret is the client_secret; "" makes a public client (no client
	// authentication).
	Secret string
	// Grants lists the grant types enabled for the application; nil enables
	// both password grants.
	Grants []string
}

// Connection is a database connection (realm).
type Connection struct {
	// Name is the connection name, e.g. "Username-Password-Authentication".
	Name string
	// Users are the accounts stored in it.
	Users []User
}

// User is an account in a connection.
type User struct {
	// ID is the user id without the "auth0|" prefix; default derived from the
	// e-mail.
	ID string
	// Email is the login e-mail (matched case-insensitively).
	Email string
	// Username is an optional login name, also accepted as username.
	Username string
	// Password is the clear-text password the peer checks against.
	Password string
	// GivenName and FamilyName become the ID token's given_name/family_name.
	GivenName, FamilyName string
	// EmailVerified becomes email_verified.
	EmailVerified bool
	// MFA makes a correct password answer mfa_required.
	MFA bool
	// Blocked makes a correct password answer "user is blocked".
	Blocked bool
}

// String keeps the password out of logs and test output.
func (u User) String() string {
	return fmt.Sprintf("auth0.User{Email: %q, Password: [redacted]}", u.Email)
}

// GoString keeps the password out of %#v.
func (u User) GoString() string { return u.String() }

// String keeps the secret out of logs and test output.
func (c Client) String() string {
	return fmt.Sprintf("auth0.Client{ID: %q, Secret: [redacted], Grants: %q}", c.ID, c.Grants)
}

// GoString keeps the secret out of %#v.
func (c Client) GoString() string { return c.String() }

func (c Client) allows(grant string) bool {
	if c.Grants == nil {
		return grant == GrantPassword || grant == GrantPasswordRealm
	}
	for _, g := range c.Grants {
		if g == grant {
			return true
		}
	}
	return false
}

func (c Config) withDefaults() Config {
	if c.Domain == "" {
		c.Domain = "legacy.auth0.com"
	}
	if c.BruteForceLimit == 0 {
		c.BruteForceLimit = 10
	}
	if c.SigningSecret == "" {
		c.SigningSecret = "auth0-peer-signing-secret"
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c
}

func (c Config) validate() error {
	seen := map[string]bool{}
	for i, client := range c.Clients {
		if client.ID == "" {
			return fmt.Errorf("auth0 peer: Clients[%d] has no ID", i)
		}
		if seen[client.ID] {
			return fmt.Errorf("auth0 peer: client %q is configured twice", client.ID)
		}
		seen[client.ID] = true
	}
	names := map[string]bool{}
	for i, conn := range c.Connections {
		if conn.Name == "" {
			return fmt.Errorf("auth0 peer: Connections[%d] has no Name", i)
		}
		names[conn.Name] = true
		for j, u := range conn.Users {
			if u.Email == "" && u.Username == "" {
				return fmt.Errorf("auth0 peer: Connections[%d].Users[%d] has neither Email nor Username", i, j)
			}
		}
	}
	if c.DefaultConnection != "" && !names[c.DefaultConnection] {
		return fmt.Errorf("auth0 peer: DefaultConnection %q is not one of the configured connections", c.DefaultConnection)
	}
	return nil
}
