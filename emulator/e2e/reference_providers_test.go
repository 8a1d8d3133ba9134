package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/auth0"
	"kindewasm/emulator/peers/azureb2c"
	"kindewasm/emulator/peers/cognito"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// The TypeScript reference (reference/kindeSrc/.../dripFeedReference) is the
// baseline of the benchmarks (scripts/bench). These tests prove it does the
// same job as the Rust drip-feed against every provider, so that the
// benchmark compares like with like: a verified password migrates with the
// exact Kinde state, a wrong one is refused with the generic message, an
// outage asks the user to retry. Cases reuse the Rust tests' peers, accounts
// and expectations (rustCase); only the Kinde calls differ (migrationRoutes:
// the reference makes one createKindeAPI client per run).

// TestReferenceGenericProvider runs the reference against the generic
// endpoint under every profile.
func TestReferenceGenericProvider(t *testing.T) {
	t.Parallel()
	wrong := genericAda
	wrong.password = "Generic-Wrong-Pass-9"
	cases := []rustCase{
		{name: "verified", signIn: genericAda, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireGenericBody(genericAda)},
		{name: "verified, MFA next", signIn: genericMFA, want: rustExpectation{outcome: migrated, created: true, given: "Grace", providerCalls: 1}},
		{name: "wrong password", signIn: wrong, want: referenceRefusal(rejected, referenceRejection)},
		{name: "locked", signIn: genericLocked, want: referenceRefusal(locked, referenceRejection)},
		{name: "must reset", signIn: genericReset, want: referenceRefusal(mustReset, resetMessage)},
		{name: "server error", signIn: genericAda, faults: []Fault{legacyapi.ServerError(1, http.StatusBadGateway)}, want: referenceRefusal(retryLater, retryMessage)},
		{name: "missing URL", signIn: genericAda, unset: []string{"LEGACY_VALIDATION_URL"},
			want: rustExpectation{errorHas: []string{"environment variable `LEGACY_VALIDATION_URL` is not set"}}},
	}
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		provider, _ := startGenericProvider(t, legacyapi.Config{})
		runCases(t, referenceImpl, profile, provider, cases)
	})
}

// TestReferenceAuth0Provider runs the reference against the Auth0 peer under
// every profile; every request tells Auth0 the end user's IP.
func TestReferenceAuth0Provider(t *testing.T) {
	t.Parallel()
	wrong := auth0Ada
	wrong.password = "Auth0-Wrong-Pass-9"
	cases := []rustCase{
		{name: "verified", signIn: auth0Ada, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireAuth0Request("password", "")},
		{name: "verified, realm grant", signIn: auth0Ada, env: map[string]string{"AUTH0_REALM": auth0Connection},
			want:  rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireAuth0Request(auth0.GrantPasswordRealm, auth0Connection)},
		{name: "wrong password", signIn: wrong, want: referenceRefusal(rejected, referenceRejection)},
		{name: "blocked", signIn: auth0Blocked, want: referenceRefusal(locked, referenceRejection)},
		{name: "rate limited", signIn: auth0Ada, faults: []Fault{auth0.RateLimited(1, 1893456000)}, want: referenceRefusal(retryLater, retryMessage)},
		{name: "wrong client secret", signIn: auth0Ada, env: map[string]string{"AUTH0_CLIENT_SECRET": "auth0-e2e-wrong-secret-77"},
			want: rustExpectation{providerCalls: 1, errorHas: []string{"Auth0 refused the workflow's configuration (invalid_client): check AUTH0_DOMAIN"}}},
	}
	for i := range cases {
		cases[i].check = withForwardedFor(cases[i].check)
	}
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		runCases(t, referenceImpl, profile, startAuth0Provider(t), cases)
	})
}

// TestReferenceCognitoProvider runs the reference against Cognito on moto
// (SigV4 checked) under every profile: AdminInitiateAuth signed with
// @noble/hashes, and InitiateAuth with SECRET_HASH.
func TestReferenceCognitoProvider(t *testing.T) {
	t.Parallel()
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		provider, peer := startCognitoProvider(t)
		wrong := cognitoAda
		wrong.password = "Cognito-Wrong-Pass-9"
		withSecretHash := map[string]string{"COGNITO_CLIENT_ID": peer.SecretClientID, "COGNITO_CLIENT_SECRET": peer.ClientSecret}
		noIAM := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "COGNITO_USER_POOL_ID"}
		cases := []rustCase{
			{name: "verified, signed AdminInitiateAuth", signIn: cognitoAda,
				want:  rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
				check: requireSignedAdminInitiateAuth(peer)},
			{name: "verified, InitiateAuth with SECRET_HASH", signIn: cognitoAda, env: withSecretHash, unset: noIAM,
				want:  rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
				check: requireSecretHash(peer)},
			{name: "verified, SMS MFA next", signIn: cognitoAlan, want: rustExpectation{outcome: migrated, created: true, providerCalls: 1}},
			{name: "must reset (NEW_PASSWORD_REQUIRED)", signIn: cognitoGrace, want: referenceRefusal(mustReset, resetMessage)},
			{name: "wrong password", signIn: wrong, want: referenceRefusal(rejected, referenceRejection)},
			{name: "too many requests", signIn: cognitoAda, faults: []Fault{cognito.TooManyRequests(1)}, want: referenceRefusal(retryLater, retryMessage)},
			{name: "wrong AWS secret", signIn: cognitoAda, env: map[string]string{"AWS_SECRET_ACCESS_KEY": wrongAWSSecret},
				want: rustExpectation{providerCalls: 1, errorHas: []string{"Cognito refused the workflow's configuration (SignatureDoesNotMatch): check AWS_REGION"}}},
		}
		runCases(t, referenceImpl, profile, provider, cases)
	})
}

// TestReferenceAzureB2CProvider runs the reference against the B2C peer
// under every profile.
func TestReferenceAzureB2CProvider(t *testing.T) {
	t.Parallel()
	wrong := b2cAda
	wrong.password = "B2c-Wrong-Pass-9"
	cases := []rustCase{
		{name: "verified", signIn: b2cAda, want: rustExpectation{outcome: migrated, created: true, given: "Ada", family: "Lovelace", providerCalls: 1},
			check: requireB2CRequest},
		{name: "must reset (expired password)", signIn: b2cExpired, want: referenceRefusal(mustReset, resetMessage)},
		{name: "wrong password", signIn: wrong, want: referenceRefusal(rejected, referenceRejection)},
		{name: "locked", signIn: b2cLocked, want: referenceRefusal(locked, referenceRejection)},
		{name: "temporarily unavailable", signIn: b2cAda, faults: []Fault{azureb2c.TemporarilyUnavailable(1)}, want: referenceRefusal(retryLater, retryMessage)},
		{name: "ROPC not enabled", signIn: b2cAda, env: map[string]string{"AZURE_B2C_CLIENT_ID": b2cNoROPCClient},
			want: rustExpectation{providerCalls: 1, errorHas: []string{"Azure AD B2C refused the workflow's configuration (AADB2C90224): check AZURE_B2C_TENANT"}}},
	}
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		runCases(t, referenceImpl, profile, startB2CProvider(t), cases)
	})
}

// referenceRefusal expects one provider call, outcome and message, and no
// migration.
func referenceRefusal(outcome, message string) rustExpectation {
	return rustExpectation{outcome: outcome, message: message, providerCalls: 1}
}

// requireReferenceExpectation checks outcome, actions and Kinde's state as
// requireRustExpectation does, with the reference's Kinde calls.
func requireReferenceExpectation(t *testing.T, rec *emulator.RunRecord, kinde *kindeapi.Server, email string, want rustExpectation) {
	t.Helper()
	if want.outcome != migrated {
		requireRustExpectation(t, rec, kinde, email, want)
		return
	}
	user := requireMigrated(t, kinde, email, want.given, want.family)
	requireOutcome(t, rec, fmt.Sprintf(`{"outcome":"migrated","user_id":%q,"created":%v}`, user.ID, want.created))
	requireFieldMessages(t, rec)
	if got := kindeRoutes(kinde); !equalStrings(got, migrationRoutes) {
		t.Errorf("Kinde calls = %q, want %q", got, migrationRoutes)
	}
	if user.PasswordSets != 1 {
		t.Errorf("password set %d times, want 1", user.PasswordSets)
	}
}
