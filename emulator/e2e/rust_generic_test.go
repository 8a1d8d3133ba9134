package e2e

import (
	"net/http"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/legacyapi"
)

// Accounts of the generic legacy endpoint.
var (
	genericAda    = signIn{email: "ada@example.com", password: "Generic-Ada-Pass-1"}
	genericMFA    = signIn{email: "mfa@example.com", password: "Generic-Mfa-Pass-2"}
	genericReset  = signIn{email: "reset@example.com", password: "Generic-Reset-Pass-3"}
	genericLocked = signIn{email: "locked@example.com", password: "Generic-Locked-Pass-4"}
)

func genericUsers() []legacyapi.User {
	return []legacyapi.User{
		{Email: genericAda.email, Password: genericAda.password, GivenName: "Ada", FamilyName: "Lovelace"},
		{Email: genericMFA.email, Password: genericMFA.password, Result: legacyapi.MFARequired, GivenName: "Grace"},
		{Email: genericReset.email, Password: genericReset.password, Result: legacyapi.ResetRequired},
		{Email: genericLocked.email, Password: genericLocked.password, Result: legacyapi.Locked},
	}
}

// startGenericProvider runs the generic endpoint behind a tap, routed from
// legacy.example.com.
func startGenericProvider(t *testing.T, config legacyapi.Config) (*legacyProvider, *legacyapi.Server) {
	t.Helper()
	config.Users = genericUsers()
	peer := startLegacy(t, config)
	peerTap := tap(t, peer.URL)
	return &legacyProvider{
		env:    map[string]string{"LEGACY_PROVIDER": "generic", "LEGACY_VALIDATION_URL": legacyURL},
		routes: []emulator.Route{peerTap.Route(legacyHost)},
		tap:    peerTap,
		inject: peer.Inject,
	}, peer
}

// TestRustGenericProvider runs the drip-feed against the generic endpoint:
// every outcome under every profile.
func TestRustGenericProvider(t *testing.T) {
	t.Parallel()
	wrong := genericAda
	wrong.password = "Generic-Wrong-Pass-9"
	unknown := signIn{email: "nobody@example.com", password: "Generic-Unknown-Pass-8"}
	oneCall := func(outcome, message string) rustExpectation {
		return rustExpectation{outcome: outcome, message: message, providerCalls: 1}
	}
	inKinde := genericAda
	inKinde.inKinde = true
	cases := []rustCase{
		{name: "already in Kinde", signIn: inKinde, want: rustExpectation{outcome: alreadyInKinde}},
		{name: "verified", signIn: genericAda, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireGenericBody(genericAda)},
		{name: "verified, MFA next", signIn: genericMFA, want: rustExpectation{outcome: migrated, created: true, given: "Grace", providerCalls: 1}},
		{name: "must reset", signIn: genericReset, want: oneCall(mustReset, resetMessage)},
		{name: "wrong password", signIn: wrong, want: oneCall(rejected, rejectedMessage)},
		{name: "unknown user", signIn: unknown, want: oneCall(rejected, rejectedMessage)},
		{name: "locked", signIn: genericLocked, want: oneCall(locked, rejectedMessage)},
		{name: "missing provider", signIn: genericAda, unset: []string{"LEGACY_PROVIDER"},
			want: rustExpectation{errorHas: []string{"environment variable `LEGACY_PROVIDER` is not set"}}},
		{name: "missing URL", signIn: genericAda, unset: []string{"LEGACY_VALIDATION_URL"},
			want: rustExpectation{errorHas: []string{"environment variable `LEGACY_VALIDATION_URL` is not set"}}},
		{name: "plain http URL", signIn: genericAda, env: map[string]string{"LEGACY_VALIDATION_URL": "http://" + legacyHost + legacyapi.DefaultPath},
			want: rustExpectation{errorHas: []string{"environment variable `LEGACY_VALIDATION_URL` is invalid", "only over https://"}}},
	}
	cases = append(cases, transientCases(genericAda, legacyapi.RateLimited(1, 30), legacyapi.ServerError(1, http.StatusInternalServerError))...)
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		provider, _ := startGenericProvider(t, legacyapi.Config{})
		runCases(t, rustImpl, profile, provider, cases)
	})
}

// requireGenericBody checks the endpoint got exactly the contract's JSON.
func requireGenericBody(user signIn) func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest) {
	return func(t *testing.T, _ *emulator.RunRecord, _ *legacyProvider, calls []emulatortest.CapturedRequest) {
		want := `{"email":"` + user.email + `","password":"` + user.password + `"}`
		if len(calls) != 1 || !jsonEqual(calls[0].Body, want) || calls[0].Method != http.MethodPost {
			t.Errorf("the endpoint got %+v, want one POST of the contract's JSON", len(calls))
		}
	}
}
