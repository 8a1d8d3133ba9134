package kindeapi

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Identity is one way a user signs in.
type Identity struct {
	// Type is "email", "phone" or "username".
	Type string
	// Value is the e-mail address, phone number or username.
	Value string
	// IsVerified tells whether an e-mail or phone was verified.
	IsVerified bool
	// PhoneCountryID is the phone's country ("au"), phones only.
	PhoneCountryID string
}

// Password is a user's password as set through the API.
type Password struct {
	// Hash is the hashed password as sent.
	Hash Secret
	// HashingMethod is the algorithm; "bcrypt" when the request named none.
	HashingMethod string
	// Salt and SaltPosition ("prefix"/"suffix") as sent, if any.
	Salt         Secret
	SaltPosition string
	// Iterations and Variant as sent (pbkdf2), zero when absent.
	Iterations int
	Variant    string
	// SignerKey, SaltSeparator, Rounds and MemCost as sent (firebase-scrypt).
	SignerKey     Secret
	SaltSeparator Secret
	Rounds        int
	MemCost       int
	// IsTemporary asks the user to choose a new password after sign-in.
	IsTemporary bool
}

// User is a user record of the peer.
type User struct {
	// ID is "kp_" and 32 hex digits; the peer numbers users in order.
	ID string
	// ProvidedID is an external id given at creation.
	ProvidedID string
	// GivenName and FamilyName come from the profile.
	GivenName, FamilyName string
	// Picture is the profile picture URL.
	Picture string
	// Identities in creation order.
	Identities []Identity
	// Password is nil until one is set.
	Password *Password
	// PasswordSets counts successful password updates.
	PasswordSets int
	// CreatedOn is the server clock at creation.
	CreatedOn time.Time
}

// Email returns the first e-mail identity's address, or "".
func (u User) Email() string {
	for _, identity := range u.Identities {
		if identity.Type == "email" {
			return identity.Value
		}
	}
	return ""
}

// hasIdentity reports whether u has an identity of kind whose value equals
// one of values; e-mails compare without regard to case.
func (u User) hasIdentity(kind string, values []string) bool {
	for _, identity := range u.Identities {
		if identity.Type != kind {
			continue
		}
		for _, value := range values {
			if identity.Value == value || (kind == "email" && strings.EqualFold(identity.Value, value)) {
				return true
			}
		}
	}
	return false
}

// clone deep-copies u so callers cannot change the store.
func (u User) clone() User {
	u.Identities = slices.Clone(u.Identities)
	if u.Password != nil {
		password := *u.Password
		u.Password = &password
	}
	return u
}

// userStore is the peer's state. Callers hold the server's lock.
type userStore struct {
	users   []*User
	created int
}

// nextID returns a fresh id, deterministic per server.
func (s *userStore) nextID() string {
	for {
		s.created++
		id := fmt.Sprintf("kp_%032x", s.created)
		if s.byID(id) == nil {
			return id
		}
	}
}

// add stores u, giving it an id when it has none.
func (s *userStore) add(u User) (User, error) {
	if u.ID == "" {
		u.ID = s.nextID()
	} else if s.byID(u.ID) != nil {
		return User{}, fmt.Errorf("kindeapi: a user with id %q already exists", u.ID)
	}
	for i, identity := range u.Identities {
		if !slices.Contains([]string{"email", "phone", "username"}, identity.Type) || identity.Value == "" {
			return User{}, fmt.Errorf("kindeapi: identity %d of user %q needs a type of email, phone or username and a value", i, u.ID)
		}
	}
	stored := u.clone()
	s.users = append(s.users, &stored)
	return stored.clone(), nil
}

// byID finds a user.
func (s *userStore) byID(id string) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// withEmail returns the users having an e-mail identity equal to email
// (case-insensitive), in creation order.
func (s *userStore) withEmail(email string) []User {
	var found []User
	for _, u := range s.users {
		if u.hasIdentity("email", []string{email}) {
			found = append(found, u.clone())
		}
	}
	return found
}

// all returns copies of every user in creation order.
func (s *userStore) all() []User {
	users := make([]User, len(s.users))
	for i, u := range s.users {
		users[i] = u.clone()
	}
	return users
}
