package e2e

import (
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// referenceRejection is the reference's message for a wrong password.
const referenceRejection = "Incorrect email or password."

// TestReferenceMigratesOnceUnderEveryProfile is issue 3's acceptance: the
// TypeScript reference migrates on the first sign-in with exactly the
// requests the Management API spec asks for, does nothing on the second,
// and refuses a wrong password without calling Kinde.
func TestReferenceMigratesOnceUnderEveryProfile(t *testing.T) {
	t.Parallel()
	for _, profile := range emulator.AllProfiles() {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			project := referenceProject(t)
			kinde := startKinde(t, kindeapi.Config{})
			legacy := startLegacy(t, legacyapi.Config{Users: []legacyapi.User{
				{Email: "ada@example.com", Password: "Ada-Legacy-Pass-1", GivenName: "Ada", FamilyName: "Lovelace"},
			}})
			kindeTap, legacyTap := tap(t, kinde.URL), tap(t, legacy.URL)
			opts := emulator.Options{Profile: profile, Routes: legacyRoutes(kindeTap, legacyTap)}
			env := withEnv(m2mEnv(), map[string]string{"LEGACY_PROVIDER": "generic", "LEGACY_VALIDATION_URL": legacyURL})
			ada := signIn{email: "ada@example.com", password: "Ada-Legacy-Pass-1"}

			first := run(t, project, referenceWorkflow, ada.event(t), env, opts, "first sign-in")
			if first.Outcome.Status != emulator.StatusResolved {
				t.Fatalf("first sign-in %s: %s", first.Outcome.Status, first.Outcome.Stack)
			}
			requireFieldMessages(t, first)
			if got := kindeRoutes(kinde); !equalStrings(got, migrationRoutes) {
				t.Fatalf("Kinde calls = %q, want %q", got, migrationRoutes)
			}
			calls := kinde.Requests()
			if calls[1].Query != "email=ada%40example.com" {
				t.Errorf("lookup query = %q", calls[1].Query)
			}
			wantCreate := `{"identities":[{"details":{"email":"ada@example.com"},"is_verified":true,"type":"email"}],"profile":{"family_name":"Lovelace","given_name":"Ada"}}`
			if calls[2].RequestBody != wantCreate {
				t.Errorf("create body = %s, want %s", calls[2].RequestBody, wantCreate)
			}
			user := requireMigrated(t, kinde, ada.email, "Ada", "Lovelace")
			if want := "/api/v1/users/" + user.ID + "/password"; calls[3].Path != want {
				t.Errorf("set-password path = %s, want %s", calls[3].Path, want)
			}
			if want := `{"hashed_password":"[REDACTED]","hashing_method":"bcrypt"}`; calls[3].RequestBody != want {
				t.Errorf("set-password body = %s, want %s", calls[3].RequestBody, want)
			}
			requireOnlyProviderGotPassword(t, ada.password, legacyTap, kindeTap)
			if attempts := legacy.Attempts(); len(attempts) != 1 || !attempts[0].PasswordMatched {
				t.Errorf("legacy attempts = %+v", attempts)
			}

			again := ada
			again.inKinde = true
			second := run(t, project, referenceWorkflow, again.event(t), env, opts, "second sign-in")
			if second.Outcome.Status != emulator.StatusResolved || len(second.Requests) != 0 || len(second.Actions) != 0 {
				t.Errorf("second sign-in: %s, %d requests, %d actions", second.Outcome.Status, len(second.Requests), len(second.Actions))
			}
			if n := len(kinde.Requests()); n != len(migrationRoutes) {
				t.Errorf("Kinde got %d requests after the second sign-in, want %d", n, len(migrationRoutes))
			}
			if n := len(legacy.Requests()); n != 1 {
				t.Errorf("legacy endpoint got %d requests, want 1", n)
			}

			wrong := signIn{email: "grace@example.com", password: "Grace-Wrong-Pass-9"}
			rejected := run(t, project, referenceWorkflow, wrong.event(t), env, opts, "wrong password")
			if rejected.Outcome.Status != emulator.StatusResolved {
				t.Fatalf("wrong password %s: %s", rejected.Outcome.Status, rejected.Outcome.Stack)
			}
			requireFieldMessages(t, rejected, referenceRejection)
			if n := len(kinde.Requests()); n != len(migrationRoutes) {
				t.Errorf("a wrong password called Kinde (%d requests in all)", n)
			}
			if n := len(kinde.Users()); n != 1 {
				t.Errorf("Kinde has %d users, want 1", n)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
