package azureb2c

import (
	"fmt"
	"time"
)

// Config describes the B2C tenant the peer plays.
type Config struct {
	// Tenant is the tenant name: requests go to /{Tenant}.onmicrosoft.com/….
	Tenant string
	// Policies are the ROPC user flows / custom policies (e.g. "B2C_1_ROPC"),
	// matched case-insensitively as B2C does.
	Policies []string
	// Applications are the app registrations.
	Applications []Application
	// Users are the local accounts.
	Users []User
	// WrongCredentialsError is the OAuth "error" sent with AADB2C90225 and the
	// lockout codes: "access_denied" (default; observed from the service) or
	// "invalid_grant" (also seen in the wild). Workflows should match the
	// AADB2C code, not this field.
	WrongCredentialsError string
	// LockoutThreshold is the number of consecutive wrong passwords after
	// which an account is temporarily locked (AADB2C90114); 0 means 10, B2C's
	// default.
	LockoutThreshold int
	// SigningSecret signs tokens (HS256; B2C uses RS256); default
	// "azureb2c-peer-signing-secret".
	SigningSecret string
	// Clock gives the time for tokens and error timestamps; default time.Now.
	Clock func() time.Time
}

// Misconfiguration is what is wrong with an application registration.
type Misconfiguration int

const (
	// WellConfigured is an application registered for ROPC as documented.
	WellConfigured Misconfiguration = iota
	// ROPCNotEnabled answers AADB2C90224.
	ROPCNotEnabled
	// ImplicitFlowNotAllowed answers AADB2C90057.
	ImplicitFlowNotAllowed
	// NotPublicClient answers AADB2C90058.
	NotPublicClient
)

// Application is an app registration.
type Application struct {
	// ID is the application (client) id.
	ID string
	// Misconfiguration makes every request with this client id fail.
	Misconfiguration Misconfiguration
}

// AccountState is a local account's state.
type AccountState int

const (
	// Active accounts sign in with the right password.
	Active AccountState = iota
	// Disabled accounts answer AADB2C90111.
	Disabled
	// Locked accounts answer AADB2C90114 (temporarily locked).
	Locked
	// PasswordExpired accounts answer "Your password has expired."
	PasswordExpired
)

// User is a local account.
type User struct {
	// ObjectID is the account's id (the token's sub); default derived from
	// the sign-in name.
	ObjectID string
	// SignInName is what the user types as username (often the e-mail);
	// matched case-insensitively.
	SignInName string
	// Password is the clear-text password the peer checks against.
	Password string
	// Email, GivenName and FamilyName become the id_token's emails,
	// given_name and family_name.
	Email, GivenName, FamilyName string
	// State is the account state.
	State AccountState
}

// String keeps the password out of logs and test output.
func (u User) String() string {
	return fmt.Sprintf("azureb2c.User{SignInName: %q, Password: [redacted]}", u.SignInName)
}

// GoString keeps the password out of %#v.
func (u User) GoString() string { return u.String() }

func (c Config) withDefaults() Config {
	if c.WrongCredentialsError == "" {
		c.WrongCredentialsError = "access_denied"
	}
	if c.LockoutThreshold == 0 {
		c.LockoutThreshold = 10
	}
	if c.SigningSecret == "" {
		c.SigningSecret = "azureb2c-peer-signing-secret"
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c
}

func (c Config) validate() error {
	if c.Tenant == "" {
		return fmt.Errorf("azureb2c peer: Config.Tenant is empty (the tenant name, e.g. \"contoso\")")
	}
	if len(c.Policies) == 0 {
		return fmt.Errorf("azureb2c peer: Config.Policies is empty (e.g. \"B2C_1_ROPC\")")
	}
	if e := c.WrongCredentialsError; e != "" && e != "access_denied" && e != "invalid_grant" {
		return fmt.Errorf("azureb2c peer: WrongCredentialsError %q must be \"access_denied\" or \"invalid_grant\"", e)
	}
	for i, app := range c.Applications {
		if app.ID == "" {
			return fmt.Errorf("azureb2c peer: Applications[%d] has no ID", i)
		}
	}
	for i, u := range c.Users {
		if u.SignInName == "" {
			return fmt.Errorf("azureb2c peer: Users[%d] has no SignInName", i)
		}
	}
	return nil
}
