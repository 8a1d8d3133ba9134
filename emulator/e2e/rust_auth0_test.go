package e2e

import (
	"net/http"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/auth0"
)

// The Auth0 tenant as the workflow is configured for it.
const (
	auth0Domain       = "legacy-tenant.eu.auth0.com"
	auth0ClientID     = "auth0-e2e-client"
	auth0ClientSecret = "auth0-e2e-client-secret-5d1e"
	// auth0NoGrantClient has the Password grant disabled.
	auth0NoGrantClient = "auth0-e2e-client-no-password-grant"
	auth0Connection    = "Username-Password-Authentication"
)

// Accounts of the Auth0 tenant.
var (
	auth0Ada     = signIn{email: "ada@example.com", password: "Auth0-Ada-Pass-1"}
	auth0MFA     = signIn{email: "mfa@example.com", password: "Auth0-Mfa-Pass-2"}
	auth0Blocked = signIn{email: "blocked@example.com", password: "Auth0-Blocked-Pass-3"}
	auth0Leaked  = signIn{email: "leaked@example.com", password: "Auth0-Leaked-Pass-4"}
)

// startAuth0Provider runs the Auth0 peer behind a tap, routed from
// *.auth0.com.
func startAuth0Provider(t *testing.T) *legacyProvider {
	t.Helper()
	collected.secret(t, "Auth0 client secret", auth0ClientSecret)
	users := []auth0.User{
		{Email: auth0Ada.email, Password: auth0Ada.password, GivenName: "Ada", FamilyName: "Lovelace", EmailVerified: true},
		{Email: auth0MFA.email, Password: auth0MFA.password, MFA: true},
		{Email: auth0Blocked.email, Password: auth0Blocked.password, Blocked: true},
		{Email: auth0Leaked.email, Password: auth0Leaked.password},
	}
	for _, u := range users {
		collected.secret(t, "Auth0 password of "+u.Email, u.Password)
	}
	peer := auth0.Start(t, auth0.Config{
		Domain: auth0Domain,
		Clients: []auth0.Client{
			{ID: auth0ClientID, Secret: auth0ClientSecret},
			{ID: auth0NoGrantClient, Secret: auth0ClientSecret, Grants: []string{"client_credentials"}},
		},
		Connections:       []auth0.Connection{{Name: auth0Connection, Users: users}},
		DefaultConnection: auth0Connection,
	})
	t.Cleanup(func() { collected.json(t, t.Name()+": Auth0 peer exchanges", peer.Requests()) })
	peerTap := tap(t, peer.URL)
	return &legacyProvider{
		env: map[string]string{
			"LEGACY_PROVIDER":     "auth0",
			"AUTH0_DOMAIN":        auth0Domain,
			"AUTH0_CLIENT_ID":     auth0ClientID,
			"AUTH0_CLIENT_SECRET": auth0ClientSecret,
		},
		routes: []emulator.Route{peerTap.Route("*.auth0.com")},
		tap:    peerTap,
		inject: peer.Inject,
	}
}

// TestRustAuth0Provider runs the drip-feed against the Auth0 peer: every
// outcome under every profile. Each request must tell Auth0 the end user's
// IP (auth0-forwarded-for = the event's request.ip).
func TestRustAuth0Provider(t *testing.T) {
	t.Parallel()
	wrong := auth0Ada
	wrong.password = "Auth0-Wrong-Pass-9"
	unknown := signIn{email: "nobody@example.com", password: "Auth0-Unknown-Pass-8"}
	oneCall := func(outcome, message string) rustExpectation {
		return rustExpectation{outcome: outcome, message: message, providerCalls: 1}
	}
	misconfigured := func(code string) rustExpectation {
		return rustExpectation{providerCalls: 1, errorHas: []string{"Auth0 refused the workflow's configuration (" + code + "): check AUTH0_DOMAIN"}}
	}
	// The peer does not model breached-password detection: Auth0's
	// password_leaked answer is injected.
	leaked := auth0.Fault{Name: "password_leaked", Call: 1, Status: http.StatusForbidden,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"error":"password_leaked","error_description":"This login has been blocked because your password has been leaked in another website."}`}
	cases := []rustCase{
		{name: "verified", signIn: auth0Ada, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireAuth0Request("password", "")},
		{name: "verified, realm grant", signIn: auth0Ada, env: map[string]string{"AUTH0_REALM": auth0Connection},
			want:  rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireAuth0Request(auth0.GrantPasswordRealm, auth0Connection)},
		{name: "verified, MFA next", signIn: auth0MFA, want: rustExpectation{outcome: migrated, created: true, providerCalls: 1}},
		{name: "must reset (leaked password)", signIn: auth0Leaked, faults: []Fault{leaked}, want: oneCall(mustReset, resetMessage)},
		{name: "wrong password", signIn: wrong, want: oneCall(rejected, rejectedMessage)},
		{name: "unknown user", signIn: unknown, want: oneCall(rejected, rejectedMessage)},
		{name: "blocked", signIn: auth0Blocked, want: oneCall(locked, rejectedMessage)},
		{name: "wrong client secret", signIn: auth0Ada, env: map[string]string{"AUTH0_CLIENT_SECRET": "auth0-e2e-wrong-secret-77"}, want: misconfigured("invalid_client")},
		{name: "password grant disabled", signIn: auth0Ada, env: map[string]string{"AUTH0_CLIENT_ID": auth0NoGrantClient}, want: misconfigured("unauthorized_client")},
		{name: "missing client id", signIn: auth0Ada, unset: []string{"AUTH0_CLIENT_ID"},
			want: rustExpectation{errorHas: []string{"environment variable `AUTH0_CLIENT_ID` is not set"}}},
	}
	cases = append(cases, transientCases(auth0Ada, auth0.RateLimited(1, 1893456000), auth0.ServerError(1, http.StatusInternalServerError),
		rustCase{name: "unavailable", signIn: auth0Ada, faults: []Fault{auth0.Unavailable(1)}, want: oneCall(retryLater, retryMessage)})...)
	for i := range cases {
		cases[i].check = withForwardedFor(cases[i].check)
	}
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		runCases(t, rustImpl, profile, startAuth0Provider(t), cases)
	})
}

// withForwardedFor adds the auth0-forwarded-for check to a case's check.
func withForwardedFor(next func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest)) func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest) {
	return func(t *testing.T, rec *emulator.RunRecord, p *legacyProvider, calls []emulatortest.CapturedRequest) {
		for _, c := range calls {
			if got := c.Header.Get("Auth0-Forwarded-For"); got != endUserIP {
				t.Errorf("auth0-forwarded-for = %q, want the event's request.ip %q", got, endUserIP)
			}
		}
		if next != nil {
			next(t, rec, p, calls)
		}
	}
}

// requireAuth0Request checks the token request's grant and realm and that
// it asked for the profile in the ID token.
func requireAuth0Request(grant, realm string) func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest) {
	return func(t *testing.T, _ *emulator.RunRecord, _ *legacyProvider, calls []emulatortest.CapturedRequest) {
		if len(calls) != 1 {
			return
		}
		var body map[string]any
		if !decodeJSON(calls[0].Body, &body) {
			t.Fatalf("the token request body is not JSON")
		}
		if calls[0].Path != "/oauth/token" || body["grant_type"] != grant || body["username"] != auth0Ada.email ||
			body["client_id"] != auth0ClientID || body["scope"] != "openid profile" {
			t.Errorf("token request %s: grant %v, username %v, client %v, scope %v", calls[0].Path, body["grant_type"], body["username"], body["client_id"], body["scope"])
		}
		if got, _ := body["realm"].(string); got != realm {
			t.Errorf("realm = %q, want %q", got, realm)
		}
	}
}
