package cognito

import "fmt"

// Config describes the user pool to seed.
type Config struct {
	// Region is the AWS region of the pool and of SigV4 scopes; default
	// "eu-west-1".
	Region string
	// Users are the accounts to seed; nil seeds DefaultUsers().
	Users []User
}

// UserState is the state a seeded user is left in.
type UserState int

const (
	// Confirmed users sign in with their password.
	Confirmed UserState = iota
	// ForceChangePassword users were created by an admin with a temporary
	// password; signing in answers the NEW_PASSWORD_REQUIRED challenge.
	ForceChangePassword
	// ResetRequired users had their password reset by an admin
	// (AdminResetUserPassword); they need an Email.
	ResetRequired
	// SMSMFA users have SMS MFA enabled and preferred; signing in answers the
	// SMS_MFA challenge.
	SMSMFA
)

// User is an account to seed.
type User struct {
	// Username is the pool username (here usually the e-mail).
	Username string
	// Password is the permanent password, or the temporary one for
	// ForceChangePassword.
	Password string
	// Email (seeded as verified), GivenName and FamilyName become the
	// attributes email, given_name and family_name.
	Email, GivenName, FamilyName string
	// State is what the user is left in after seeding.
	State UserState
}

// String keeps the password out of logs and test output.
func (u User) String() string {
	return fmt.Sprintf("cognito.User{Username: %q, Password: [redacted]}", u.Username)
}

// GoString keeps the password out of %#v.
func (u User) GoString() string { return u.String() }

// Usernames and passwords of DefaultUsers.
const (
	ConfirmedUsername            = "ada@example.com"
	ConfirmedPassword            = "Correct-Horse-1"
	ForceChangeUsername          = "grace@example.com"
	ForceChangeTemporaryPassword = "Temporary-Pass-1"
	ResetUsername                = "edsger@example.com"
	ResetPassword                = "Reset-Pass-1"
	MFAUsername                  = "alan@example.com"
	MFAPassword                  = "Mfa-Pass-1"
)

// DefaultUsers is one user in each state; the confirmed one has names.
func DefaultUsers() []User {
	return []User{
		{Username: ConfirmedUsername, Password: ConfirmedPassword, Email: ConfirmedUsername, GivenName: "Ada", FamilyName: "Lovelace"},
		{Username: ForceChangeUsername, Password: ForceChangeTemporaryPassword, Email: ForceChangeUsername, State: ForceChangePassword},
		{Username: ResetUsername, Password: ResetPassword, Email: ResetUsername, State: ResetRequired},
		{Username: MFAUsername, Password: MFAPassword, Email: MFAUsername, State: SMSMFA},
	}
}

func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = "eu-west-1"
	}
	if c.Users == nil {
		c.Users = DefaultUsers()
	}
	return c
}

func (c Config) validate() error {
	for i, u := range c.Users {
		if u.Username == "" || u.Password == "" {
			return fmt.Errorf("cognito peer: Users[%d] needs a Username and a Password", i)
		}
		if u.State == ResetRequired && u.Email == "" {
			return fmt.Errorf("cognito peer: Users[%d] (%s) is ResetRequired and needs an Email: Cognito resets only users with a verified e-mail or phone", i, u.Username)
		}
	}
	return nil
}
