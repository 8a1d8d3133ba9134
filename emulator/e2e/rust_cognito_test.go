package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/cognito"
)

// Accounts of the moto user pool (cognito.DefaultUsers).
var (
	cognitoAda    = signIn{email: cognito.ConfirmedUsername, password: cognito.ConfirmedPassword}
	cognitoGrace  = signIn{email: cognito.ForceChangeUsername, password: cognito.ForceChangeTemporaryPassword}
	cognitoEdsger = signIn{email: cognito.ResetUsername, password: cognito.ResetPassword}
	cognitoAlan   = signIn{email: cognito.MFAUsername, password: cognito.MFAPassword}
)

// wrongAWSSecret is not the IAM user's secret key.
const wrongAWSSecret = "e2eWrongAwsSecretKey0000000000000000000000"

// startCognitoProvider runs moto (signature checking on) behind a tap,
// routed from cognito-idp.*.amazonaws.com. The workflow is configured for
// AdminInitiateAuth with the seeded IAM user's key.
func startCognitoProvider(t *testing.T) (*legacyProvider, *cognito.Server) {
	t.Helper()
	peer := cognito.Start(t, cognito.Config{})
	collected.secret(t, "Cognito app client secret", peer.ClientSecret)
	collected.secret(t, "AWS secret access key", peer.SecretAccessKey)
	collected.secret(t, "wrong AWS secret access key", wrongAWSSecret)
	for _, u := range cognito.DefaultUsers() {
		collected.secret(t, "Cognito password of "+u.Username, u.Password)
	}
	t.Cleanup(func() { collected.json(t, t.Name()+": Cognito peer exchanges", peer.Requests()) })
	peerTap := tap(t, peer.URL)
	return &legacyProvider{
		env: map[string]string{
			"LEGACY_PROVIDER":       "cognito",
			"AWS_REGION":            peer.Region,
			"COGNITO_CLIENT_ID":     peer.PublicClientID,
			"COGNITO_USER_POOL_ID":  peer.UserPoolID,
			"AWS_ACCESS_KEY_ID":     peer.AccessKeyID,
			"AWS_SECRET_ACCESS_KEY": peer.SecretAccessKey,
		},
		routes: []emulator.Route{peerTap.Route("cognito-idp.*.amazonaws.com")},
		tap:    peerTap,
		inject: peer.Inject,
	}, peer
}

// TestRustCognitoProvider runs the drip-feed against Cognito on moto with
// SigV4 checking on: every outcome under every profile, through signed
// AdminInitiateAuth and through InitiateAuth with SECRET_HASH.
func TestRustCognitoProvider(t *testing.T) {
	t.Parallel()
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		provider, peer := startCognitoProvider(t)
		wrong := cognitoAda
		wrong.password = "Cognito-Wrong-Pass-9"
		unknown := signIn{email: "nobody@example.com", password: "Cognito-Unknown-Pass-8"}
		oneCall := func(outcome, message string) rustExpectation {
			return rustExpectation{outcome: outcome, message: message, providerCalls: 1}
		}
		// InitiateAuth (USER_PASSWORD_AUTH) with the app client that has a
		// secret: no IAM key, SECRET_HASH instead.
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
			{name: "must reset (NEW_PASSWORD_REQUIRED)", signIn: cognitoGrace, want: oneCall(mustReset, resetMessage)},
			// moto never answers PasswordResetRequiredException (an
			// admin-reset user gets NEW_PASSWORD_REQUIRED or tokens from
			// it); real Cognito does, so the peer's fault plays it.
			{name: "must reset (PasswordResetRequiredException)", signIn: cognitoEdsger, faults: []Fault{cognito.PasswordResetRequired(1)},
				want: oneCall(mustReset, resetMessage)},
			{name: "wrong password", signIn: wrong, want: oneCall(rejected, rejectedMessage)},
			{name: "unknown user", signIn: unknown, want: oneCall(rejected, rejectedMessage)},
			{name: "wrong password, InitiateAuth", signIn: wrong, env: withSecretHash, unset: noIAM, want: oneCall(rejected, rejectedMessage)},
			// moto has neither lockout nor unconfirmed users in the seeded
			// pool: Cognito's answers for them are injected.
			{name: "locked (attempts exceeded)", signIn: cognitoAda,
				faults: []Fault{cognito.ServiceError(1, 400, "NotAuthorizedException", "Password attempts exceeded")},
				want:   oneCall(locked, rejectedMessage)},
			{name: "unconfirmed", signIn: cognitoAda,
				faults: []Fault{cognito.ServiceError(1, 400, "UserNotConfirmedException", "User is not confirmed.")},
				want:   oneCall(locked, rejectedMessage)},
			{name: "wrong AWS secret", signIn: cognitoAda, env: map[string]string{"AWS_SECRET_ACCESS_KEY": wrongAWSSecret},
				want: rustExpectation{providerCalls: 1, errorHas: []string{"Cognito refused the workflow's configuration (SignatureDoesNotMatch): check AWS_REGION"}}},
			{name: "missing region", signIn: cognitoAda, unset: []string{"AWS_REGION"},
				want: rustExpectation{errorHas: []string{"environment variable `AWS_REGION` is not set"}}},
			{name: "key id without secret", signIn: cognitoAda, unset: []string{"AWS_SECRET_ACCESS_KEY"},
				want: rustExpectation{errorHas: []string{"environment variable `AWS_SECRET_ACCESS_KEY` is not set"}}},
		}
		cases = append(cases, transientCases(cognitoAda, cognito.TooManyRequests(1), cognito.InternalError(1))...)
		runCases(t, rustImpl, profile, provider, cases)
	})
}

// requireSignedAdminInitiateAuth checks the request is AdminInitiateAuth
// signed with the IAM user's key for the pool's region (moto verified the
// signature: a bad one is refused).
func requireSignedAdminInitiateAuth(peer *cognito.Server) func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest) {
	return func(t *testing.T, _ *emulator.RunRecord, _ *legacyProvider, calls []emulatortest.CapturedRequest) {
		if len(calls) != 1 {
			return
		}
		c := calls[0]
		if got := c.Header.Get("X-Amz-Target"); got != "AWSCognitoIdentityProviderService.AdminInitiateAuth" {
			t.Errorf("X-Amz-Target = %q", got)
		}
		prefix := "AWS4-HMAC-SHA256 Credential=" + peer.AccessKeyID + "/"
		scope := "/" + peer.Region + "/cognito-idp/aws4_request"
		if auth := c.Header.Get("Authorization"); !strings.HasPrefix(auth, prefix) || !strings.Contains(auth, scope) {
			t.Errorf("Authorization = %q, want a SigV4 signature by the IAM key for %s", auth, scope)
		}
		var body struct {
			AuthFlow, ClientId, UserPoolId string
			AuthParameters                 map[string]string
		}
		if !decodeJSON(c.Body, &body) || body.AuthFlow != "ADMIN_USER_PASSWORD_AUTH" || body.UserPoolId != peer.UserPoolID ||
			body.ClientId != peer.PublicClientID || body.AuthParameters["USERNAME"] != cognitoAda.email {
			t.Errorf("AdminInitiateAuth body: flow %q, pool %q, client %q", body.AuthFlow, body.UserPoolId, body.ClientId)
		}
	}
}

// requireSecretHash checks InitiateAuth carried SECRET_HASH =
// Base64(HMAC-SHA256(client secret, username + client id)), computed here
// independently (moto does not verify it on USER_PASSWORD_AUTH).
func requireSecretHash(peer *cognito.Server) func(*testing.T, *emulator.RunRecord, *legacyProvider, []emulatortest.CapturedRequest) {
	return func(t *testing.T, _ *emulator.RunRecord, _ *legacyProvider, calls []emulatortest.CapturedRequest) {
		if len(calls) != 1 {
			return
		}
		c := calls[0]
		if got := c.Header.Get("X-Amz-Target"); got != "AWSCognitoIdentityProviderService.InitiateAuth" {
			t.Errorf("X-Amz-Target = %q", got)
		}
		if auth := c.Header.Get("Authorization"); auth != "" {
			t.Errorf("InitiateAuth is signed (%q); it needs no IAM key", auth[:min(len(auth), 20)])
		}
		mac := hmac.New(sha256.New, []byte(peer.ClientSecret))
		mac.Write([]byte(cognitoAda.email + peer.SecretClientID))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		var body struct {
			AuthFlow, ClientId string
			AuthParameters     map[string]string
		}
		if !decodeJSON(c.Body, &body) || body.AuthFlow != "USER_PASSWORD_AUTH" || body.ClientId != peer.SecretClientID {
			t.Errorf("InitiateAuth body: flow %q, client %q", body.AuthFlow, body.ClientId)
		}
		if body.AuthParameters["SECRET_HASH"] != want {
			t.Error("SECRET_HASH is not Base64(HMAC-SHA256(client secret, username + client id))")
		}
	}
}
