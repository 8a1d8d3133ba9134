package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
)

// TestSpecViolationOfAWrongWorkflowIsReported runs a workflow that sets the
// password with {password} instead of {hashed_password} and checks that
// the Kinde peer names the violation, under every profile. It uses
// kindeapi.New (not Start) so the test can assert the violation instead of
// failing on it.
func TestSpecViolationOfAWrongWorkflowIsReported(t *testing.T) {
	t.Parallel()
	for _, profile := range emulator.AllProfiles() {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			project := acquireProject(t, filepath.Join("testdata", "wrongworkflow"))
			kinde, err := kindeapi.New(kindeapi.Config{
				PublicURL: kindeDomain, ClientID: m2mClientID, ClientSecret: kindeapi.NewSecret(m2mSecret),
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(kinde.Close)
			collectKinde(t, kinde)
			collected.secret(t, "M2M client secret", m2mSecret)

			ada := signIn{email: "ada@example.com", password: "Ada-Plaintext-Pass-3"}
			opts := emulator.Options{Profile: profile, Routes: []emulator.Route{{Host: kindeHost, Target: kinde.URL}}}
			run(t, project, "plaintextPassword", ada.event(t), m2mEnv(), opts, "wrong workflow")

			var onPassword []kindeapi.Violation
			for _, v := range kinde.Violations() {
				if v.Route == setPasswordRoute {
					onPassword = append(onPassword, v)
				} else {
					t.Errorf("unexpected violation: %s", v)
				}
			}
			if len(onPassword) == 0 {
				t.Fatalf("no violation reported for PUT users/{id}/password; exchanges: %+v", kinde.Requests())
			}
			text := ""
			for _, v := range onPassword {
				if v.Kind != kindeapi.RequestViolation {
					t.Errorf("violation kind = %s, want %s", v.Kind, kindeapi.RequestViolation)
				}
				text += v.Problem + "\n"
			}
			if want := "body /hashed_password: property \"hashed_password\" is missing\n"; text != want {
				t.Errorf("violations:\n%swant:\n%s", text, want)
			}
			if strings.Contains(text, ada.password) {
				t.Error("a violation quotes the password")
			}
			users := kinde.Users()
			if len(users) != 1 || users[0].Password != nil {
				t.Errorf("users = %+v, want one without a password", users)
			}
		})
	}
}
