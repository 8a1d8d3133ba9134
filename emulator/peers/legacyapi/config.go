package legacyapi

import (
	"fmt"
	"net/http"
	"strings"
)

// Result is the verdict the endpoint sends in its "result" field.
type Result string

// The verdicts of the contract.
const (
	// Verified: the password is right.
	Verified Result = "verified"
	// MFARequired: the password is right and the legacy system would ask for
	// a second factor next.
	MFARequired Result = "mfa_required"
	// ResetRequired: the password is right but must be changed first.
	ResetRequired Result = "reset_required"
	// Rejected: wrong password or unknown e-mail (the same answer for both).
	Rejected Result = "rejected"
	// Locked: the account is locked or disabled.
	Locked Result = "locked"
)

// Status is the HTTP status the peer answers a verdict with: 200 for a right
// password, 401 for a rejection, 403 for a required reset, 423 for a locked
// account. The contract says the body counts whatever the status; non-2xx
// statuses make sure a workflow reads it under every fetch profile.
func (r Result) Status() int {
	switch r {
	case Verified, MFARequired:
		return http.StatusOK
	case ResetRequired:
		return http.StatusForbidden
	case Locked:
		return http.StatusLocked
	default:
		return http.StatusUnauthorized
	}
}

func (r Result) valid() bool {
	switch r {
	case Verified, MFARequired, ResetRequired, Rejected, Locked:
		return true
	}
	return false
}

// DefaultPath is the endpoint's path when Config.Path is empty.
const DefaultPath = "/validate"

// Config describes the legacy system the peer plays.
type Config struct {
	// Users are the accounts; e-mails are matched case-insensitively.
	Users []User
	// Path is the endpoint's path; DefaultPath when empty.
	Path string
	// SecureFetchKey, when set, is the workflow's kinde.secureFetch key
	// (standard Base64 of 32 bytes): request bodies must then be encrypted
	// with it, and the peer decrypts them with crypto/aes.
	SecureFetchKey string
}

// User is an account of the legacy system.
type User struct {
	// Email is the sign-in e-mail.
	Email string
	// Password is the clear-text password the peer checks.
	Password string
	// Result is the answer to the right password: Verified when empty, or
	// MFARequired, ResetRequired, Locked. A wrong password is always
	// Rejected.
	Result Result
	// GivenName and FamilyName are sent with Verified and MFARequired
	// answers (omitted when empty).
	GivenName, FamilyName string
}

// String keeps the password out of logs and test output.
func (u User) String() string {
	return fmt.Sprintf("legacyapi.User{Email: %q, Password: [redacted], Result: %q}", u.Email, u.Result)
}

// GoString keeps the password out of %#v.
func (u User) GoString() string { return u.String() }

// String keeps passwords and the key out of logs and test output.
func (c Config) String() string {
	key := ""
	if c.SecureFetchKey != "" {
		key = ", SecureFetchKey: [redacted]"
	}
	return fmt.Sprintf("legacyapi.Config{Users: %d, Path: %q%s}", len(c.Users), c.Path, key)
}

// GoString keeps passwords and the key out of %#v.
func (c Config) GoString() string { return c.String() }

func (c Config) withDefaults() Config {
	if c.Path == "" {
		c.Path = DefaultPath
	}
	users := make([]User, len(c.Users))
	for i, u := range c.Users {
		if u.Result == "" {
			u.Result = Verified
		}
		users[i] = u
	}
	c.Users = users
	return c
}

func (c Config) validate() error {
	if c.Path != "" && !strings.HasPrefix(c.Path, "/") {
		return fmt.Errorf("legacyapi peer: Config.Path %q must start with /", c.Path)
	}
	seen := map[string]bool{}
	for i, u := range c.Users {
		email := strings.ToLower(strings.TrimSpace(u.Email))
		if email == "" {
			return fmt.Errorf("legacyapi peer: Users[%d] has no Email", i)
		}
		if u.Password == "" {
			return fmt.Errorf("legacyapi peer: Users[%d] (%s) has no Password", i, u.Email)
		}
		if u.Result != "" && (!u.Result.valid() || u.Result == Rejected) {
			return fmt.Errorf("legacyapi peer: Users[%d] (%s) has Result %q; want verified, mfa_required, reset_required or locked", i, u.Email, u.Result)
		}
		if seen[email] {
			return fmt.Errorf("legacyapi peer: e-mail %s is configured twice", u.Email)
		}
		seen[email] = true
	}
	return nil
}
