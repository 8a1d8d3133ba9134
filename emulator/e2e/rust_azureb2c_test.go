package e2e

import (
	"net/url"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/azureb2c"
)

// The Azure AD B2C tenant as the workflow is configured for it.
const (
	b2cTenant   = "contoso"
	b2cPolicy   = "B2C_1_ropc"
	b2cClientID = "b2c-e2e-application"
	// b2cNoROPCClient is registered without ROPC enabled.
	b2cNoROPCClient = "b2c-e2e-application-no-ropc"
)

// Accounts of the B2C tenant.
var (
	b2cAda      = signIn{email: "ada@example.com", password: "B2c-Ada-Pass-1"}
	b2cLocked   = signIn{email: "locked@example.com", password: "B2c-Locked-Pass-2"}
	b2cDisabled = signIn{email: "disabled@example.com", password: "B2c-Disabled-Pass-3"}
	b2cExpired  = signIn{email: "expired@example.com", password: "B2c-Expired-Pass-4"}
)

// startB2CProvider runs the B2C peer behind a tap, routed from
// *.b2clogin.com.
func startB2CProvider(t *testing.T) *legacyProvider {
	t.Helper()
	users := []azureb2c.User{
		{SignInName: b2cAda.email, Password: b2cAda.password, Email: b2cAda.email, GivenName: "Ada", FamilyName: "Lovelace"},
		{SignInName: b2cLocked.email, Password: b2cLocked.password, State: azureb2c.Locked},
		{SignInName: b2cDisabled.email, Password: b2cDisabled.password, State: azureb2c.Disabled},
		{SignInName: b2cExpired.email, Password: b2cExpired.password, State: azureb2c.PasswordExpired},
	}
	for _, u := range users {
		collected.secret(t, "B2C password of "+u.SignInName, u.Password)
	}
	peer := azureb2c.Start(t, azureb2c.Config{
		Tenant:   b2cTenant,
		Policies: []string{b2cPolicy},
		Applications: []azureb2c.Application{
			{ID: b2cClientID},
			{ID: b2cNoROPCClient, Misconfiguration: azureb2c.ROPCNotEnabled},
		},
		Users: users,
	})
	t.Cleanup(func() { collected.json(t, t.Name()+": B2C peer exchanges", peer.Requests()) })
	peerTap := tap(t, peer.URL)
	return &legacyProvider{
		env: map[string]string{
			"LEGACY_PROVIDER":       "azure_b2c",
			"AZURE_B2C_TENANT":      b2cTenant,
			"AZURE_B2C_ROPC_POLICY": b2cPolicy,
			"AZURE_B2C_CLIENT_ID":   b2cClientID,
		},
		routes: []emulator.Route{peerTap.Route("*.b2clogin.com")},
		tap:    peerTap,
		inject: peer.Inject,
	}
}

// TestRustAzureB2CProvider runs the drip-feed against the B2C peer: every
// outcome under every profile. B2C's ROPC flow has no MFA step (it does not
// support MFA), so there is no "verified, MFA next" case.
func TestRustAzureB2CProvider(t *testing.T) {
	t.Parallel()
	wrong := b2cAda
	wrong.password = "B2c-Wrong-Pass-9"
	unknown := signIn{email: "nobody@example.com", password: "B2c-Unknown-Pass-8"}
	oneCall := func(outcome, message string) rustExpectation {
		return rustExpectation{outcome: outcome, message: message, providerCalls: 1}
	}
	cases := []rustCase{
		{name: "verified", signIn: b2cAda, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireB2CRequest},
		{name: "must reset (expired password)", signIn: b2cExpired, want: oneCall(mustReset, resetMessage)},
		{name: "wrong password", signIn: wrong, want: oneCall(rejected, rejectedMessage)},
		{name: "unknown user", signIn: unknown, want: oneCall(rejected, rejectedMessage)},
		{name: "locked", signIn: b2cLocked, want: oneCall(locked, rejectedMessage)},
		{name: "disabled", signIn: b2cDisabled, want: oneCall(locked, rejectedMessage)},
		{name: "ROPC not enabled", signIn: b2cAda, env: map[string]string{"AZURE_B2C_CLIENT_ID": b2cNoROPCClient},
			want: rustExpectation{providerCalls: 1, errorHas: []string{"Azure AD B2C refused the workflow's configuration (AADB2C90224): check AZURE_B2C_TENANT"}}},
		{name: "missing tenant", signIn: b2cAda, unset: []string{"AZURE_B2C_TENANT"},
			want: rustExpectation{errorHas: []string{"environment variable `AZURE_B2C_TENANT` is not set"}}},
	}
	cases = append(cases, transientCases(b2cAda, azureb2c.Throttled(1), azureb2c.InternalError(1),
		rustCase{name: "temporarily unavailable", signIn: b2cAda, faults: []Fault{azureb2c.TemporarilyUnavailable(1)}, want: oneCall(retryLater, retryMessage)})...)
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		runCases(t, rustImpl, profile, startB2CProvider(t), cases)
	})
}

// requireB2CRequest checks the ROPC request's path and form.
func requireB2CRequest(t *testing.T, _ *emulator.RunRecord, _ *legacyProvider, calls []emulatortest.CapturedRequest) {
	if len(calls) != 1 {
		return
	}
	if want := "/" + b2cTenant + ".onmicrosoft.com/" + b2cPolicy + "/oauth2/v2.0/token"; calls[0].Path != want {
		t.Errorf("path = %s, want %s", calls[0].Path, want)
	}
	form, err := url.ParseQuery(calls[0].Body)
	if err != nil {
		t.Fatalf("the token request is not a form: %v", err)
	}
	for field, want := range map[string]string{
		"grant_type": "password", "client_id": b2cClientID, "scope": "openid " + b2cClientID,
		"response_type": "token id_token", "username": b2cAda.email,
	} {
		if got := form.Get(field); got != want {
			t.Errorf("form %s = %q, want %q", field, got, want)
		}
	}
}
