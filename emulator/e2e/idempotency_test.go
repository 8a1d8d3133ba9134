package e2e

import (
	"fmt"
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// rustAttempts is the drip-feed's bound on attempts per Management API call
// (crates/drip-feed ATTEMPTS).
const rustAttempts = 3

// partialFailure is one Kinde misbehaviour during a migration and what two
// sign-ins in a row must make of it.
type partialFailure struct {
	name   string
	faults []kindeapi.Fault
	// firstOutcome is the first sign-in's resolved outcome (migrated users
	// fill in user_id and created); "" expects a rejection with firstError.
	firstOutcome string
	firstCreated bool
	firstError   string
	// firstAPICalls are the first run's Management API routes (token and
	// JWKS lookups left out).
	firstAPICalls []string
	// secondRuns reports whether a second sign-in (the user still has no
	// Kinde password) is needed to finish.
	secondRuns bool
}

// TestRustPartialFailuresNeverDuplicateUsers breaks the migration part-way
// with Kinde allowing duplicate e-mails (so a duplicate would show) and
// checks that the user ends up once, with the event's hash, under every
// profile.
func TestRustPartialFailuresNeverDuplicateUsers(t *testing.T) {
	t.Parallel()
	fault := func(route string, call int, kind kindeapi.FaultKind) kindeapi.Fault {
		return kindeapi.Fault{Route: route, Call: call, Kind: kind, Status: 500, ResetSeconds: 1}
	}
	cases := []partialFailure{
		{
			name:         "set password fails once: retried at once",
			faults:       []kindeapi.Fault{fault(setPasswordRoute, 1, kindeapi.ServerError)},
			firstOutcome: migrated, firstCreated: true,
			firstAPICalls: []string{findUsersRoute, createUserRoute, setPasswordRoute, setPasswordRoute},
		},
		{
			name: "set password fails every attempt: the next sign-in completes",
			faults: []kindeapi.Fault{
				fault(setPasswordRoute, 1, kindeapi.ServerError), fault(setPasswordRoute, 2, kindeapi.ServerError),
				fault(setPasswordRoute, 3, kindeapi.ServerError),
			},
			firstError:    "setting the Kinde password failed",
			firstAPICalls: []string{findUsersRoute, createUserRoute, setPasswordRoute, setPasswordRoute, setPasswordRoute},
			secondRuns:    true,
		},
		{
			name:         "create applied, answer lost: found again, not created twice",
			faults:       []kindeapi.Fault{fault(createUserRoute, 1, kindeapi.LostAnswer)},
			firstOutcome: migrated, firstCreated: false,
			firstAPICalls: []string{findUsersRoute, createUserRoute, findUsersRoute, setPasswordRoute},
		},
		{
			name:         "create applied, 502 from the gateway: found again",
			faults:       []kindeapi.Fault{fault(createUserRoute, 1, kindeapi.BadGatewayAfterCommit)},
			firstOutcome: migrated, firstCreated: false,
			firstAPICalls: []string{findUsersRoute, createUserRoute, findUsersRoute, setPasswordRoute},
		},
		{
			name:         "lookup rate limited once: retried within bounds",
			faults:       []kindeapi.Fault{fault(findUsersRoute, 1, kindeapi.RateLimited)},
			firstOutcome: migrated, firstCreated: true,
			firstAPICalls: []string{findUsersRoute, findUsersRoute, createUserRoute, setPasswordRoute},
		},
		{
			name:          "lookup always rate limited: gives up after the bound",
			faults:        []kindeapi.Fault{fault(findUsersRoute, 0, kindeapi.RateLimited)},
			firstError:    "looking up the Kinde user failed",
			firstAPICalls: repeat(findUsersRoute, rustAttempts),
		},
	}
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		project := rustProject(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				project.ClearTokenCache()
				provider, _ := startGenericProvider(t, legacyapi.Config{})
				kinde := startKinde(t, kindeapi.Config{DuplicateEmail: kindeapi.AllowDuplicate})
				for _, f := range c.faults {
					if err := kinde.Inject(f); err != nil {
						t.Fatal(err)
					}
				}
				opts := emulator.Options{Profile: profile, Routes: append([]emulator.Route{{Host: kindeHost, Target: kinde.URL}}, provider.routes...)}
				env := withEnv(m2mEnv(), provider.env)

				first := run(t, project, rustWorkflow, genericAda.event(t), env, opts, "first sign-in")
				if got := apiCalls(kinde); !equalStrings(got, c.firstAPICalls) {
					t.Errorf("first sign-in's API calls = %q, want %q", got, c.firstAPICalls)
				}
				switch {
				case c.firstOutcome != "":
					user := requireMigrated(t, kinde, genericAda.email, "Ada", "Lovelace")
					requireOutcome(t, first, fmt.Sprintf(`{"outcome":"migrated","user_id":%q,"created":%v}`, user.ID, c.firstCreated))
				case first.Outcome.Status != emulator.StatusRejected || !strings.Contains(first.Outcome.Error, c.firstError):
					t.Fatalf("first sign-in: %s %s %s, want a rejection with %q", first.Outcome.Status, first.Outcome.Value, first.Outcome.Error, c.firstError)
				}
				if !c.secondRuns {
					if n := len(kinde.UsersByEmail(genericAda.email)); n > 1 {
						t.Errorf("%d users with the e-mail", n)
					}
					return
				}
				calls := len(apiCalls(kinde))
				second := run(t, project, rustWorkflow, genericAda.event(t), env, opts, "second sign-in")
				user := requireMigrated(t, kinde, genericAda.email, "Ada", "Lovelace")
				requireOutcome(t, second, fmt.Sprintf(`{"outcome":"migrated","user_id":%q,"created":false}`, user.ID))
				if got, want := apiCalls(kinde)[calls:], []string{findUsersRoute, setPasswordRoute}; !equalStrings(got, want) {
					t.Errorf("second sign-in's API calls = %q, want %q", got, want)
				}
			})
		}
	})
}

// apiCalls lists the Kinde peer's Management API routes, token and JWKS
// requests left out.
func apiCalls(s *kindeapi.Server) []string {
	calls := []string{}
	for _, route := range kindeRoutes(s) {
		if route != tokenRoute && route != jwksRoute {
			calls = append(calls, route)
		}
	}
	return calls
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestRustTokenFailureIsRetried fails Kinde's token endpoint once: the
// shim does not keep the failed createKindeAPI client, so the drip-feed's
// retry of the lookup asks for a token again and the migration completes.
func TestRustTokenFailureIsRetried(t *testing.T) {
	t.Parallel()
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		project := rustProject(t)
		provider, _ := startGenericProvider(t, legacyapi.Config{})
		kinde := startKinde(t, kindeapi.Config{})
		fault := kindeapi.Fault{Route: tokenRoute, Call: 1, Kind: kindeapi.ServerError, Status: 500}
		if err := kinde.Inject(fault); err != nil {
			t.Fatal(err)
		}
		opts := emulator.Options{Profile: profile, Routes: append([]emulator.Route{{Host: kindeHost, Target: kinde.URL}}, provider.routes...)}
		rec := run(t, project, rustWorkflow, genericAda.event(t), withEnv(m2mEnv(), provider.env), opts, "sign-in")

		user := requireMigrated(t, kinde, genericAda.email, "Ada", "Lovelace")
		requireOutcome(t, rec, fmt.Sprintf(`{"outcome":"migrated","user_id":%q,"created":true}`, user.ID))
		want := append([]string{tokenRoute}, migrationRoutes...)
		if got := kindeRoutes(kinde); !equalStrings(got, want) {
			t.Errorf("Kinde calls = %q, want %q", got, want)
		}
	})
}
