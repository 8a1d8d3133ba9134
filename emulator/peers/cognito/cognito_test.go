package cognito_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"kindewasm/emulator/peers/cognito"
)

// call is one Cognito request through the peer's proxy.
type call struct {
	target string
	input  map[string]any
	creds  *aws.Credentials // nil: unsigned
	region string           // "": the peer's region
	at     time.Time        // zero: now
}

type answer struct {
	status int
	raw    string
	body   map[string]any
}

func (a answer) errorType() string { s, _ := a.body["__type"].(string); return s }

func send(t *testing.T, srv *cognito.Server, c call) answer {
	t.Helper()
	payload, _ := json.Marshal(c.input)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+c.target)
	if c.creds != nil {
		region, at := c.region, c.at
		if region == "" {
			region = srv.Region
		}
		if at.IsZero() {
			at = time.Now()
		}
		hash := sha256.Sum256(payload)
		if err := v4.NewSigner().SignHTTP(context.Background(), *c.creds, req, hex.EncodeToString(hash[:]), "cognito-idp", region, at); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func adminAuth(srv *cognito.Server, creds aws.Credentials, username, password string) call {
	return call{target: "AdminInitiateAuth", creds: &creds, input: map[string]any{
		"UserPoolId": srv.UserPoolID, "ClientId": srv.PublicClientID, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": username, "PASSWORD": password},
	}}
}

func secretHash(secret, username, clientID string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestCognitoOnMoto(t *testing.T) {
	srv := cognito.Start(t, cognito.Config{Region: "eu-west-1"})
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	if !strings.HasPrefix(srv.UserPoolID, "eu-west-1_") || srv.ClientSecret == "" || !strings.HasPrefix(srv.AccessKeyID, "AKIA") {
		t.Fatalf("seeded ids %v", srv)
	}
	if strings.Contains(fmt.Sprint(srv), srv.SecretAccessKey) || strings.Contains(fmt.Sprint(srv), srv.ClientSecret) {
		t.Error("Server prints its secrets")
	}

	t.Run("signed AdminInitiateAuth", func(t *testing.T) {
		ok := send(t, srv, adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword))
		result, _ := ok.body["AuthenticationResult"].(map[string]any)
		if ok.status != 200 || result["IdToken"] == nil || result["AccessToken"] == nil {
			t.Fatalf("right password: %d %s", ok.status, ok.raw)
		}
		claims := jwtClaims(t, result["IdToken"].(string))
		if claims["given_name"] != "Ada" || claims["family_name"] != "Lovelace" || claims["email"] != cognito.ConfirmedUsername {
			t.Errorf("id token claims %v", claims)
		}
		expectType(t, send(t, srv, adminAuth(srv, creds, cognito.ConfirmedUsername, "Wrong-1")), 400, "NotAuthorizedException")
		expectType(t, send(t, srv, adminAuth(srv, creds, "nobody@example.com", "Whatever-1")), 400, "UserNotFoundException")
		expectChallenge(t, send(t, srv, adminAuth(srv, creds, cognito.ForceChangeUsername, cognito.ForceChangeTemporaryPassword)), "NEW_PASSWORD_REQUIRED")
		expectChallenge(t, send(t, srv, adminAuth(srv, creds, cognito.MFAUsername, cognito.MFAPassword)), "SMS_MFA")
	})

	t.Run("moto answers NEW_PASSWORD_REQUIRED, not PasswordResetRequiredException, for a reset user", func(t *testing.T) {
		// Real Cognito answers PasswordResetRequiredException; moto 5.2.5 has no such
		// error. Inject cognito.PasswordResetRequired to test a workflow's handling.
		expectChallenge(t, send(t, srv, adminAuth(srv, creds, cognito.ResetUsername, cognito.ResetPassword)), "NEW_PASSWORD_REQUIRED")
	})

	t.Run("bad signatures are refused with XML", func(t *testing.T) {
		wrongSecret := creds
		// Another first character (moto's secrets are random: one in 64 starts
		// with any given letter).
		first := "x"
		if strings.HasPrefix(creds.SecretAccessKey, first) {
			first = "y"
		}
		wrongSecret.SecretAccessKey = first + creds.SecretAccessKey[1:]
		bad := send(t, srv, adminAuth(srv, wrongSecret, cognito.ConfirmedUsername, cognito.ConfirmedPassword))
		if bad.status != 403 || !strings.Contains(bad.raw, "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("wrong secret key: %d %s", bad.status, bad.raw)
		}
		unknownKey := creds
		unknownKey.AccessKeyID = "AKIAUNKNOWN000000000"
		if a := send(t, srv, adminAuth(srv, unknownKey, cognito.ConfirmedUsername, cognito.ConfirmedPassword)); a.status != 403 || !strings.Contains(a.raw, "<Code>InvalidClientTokenId</Code>") {
			t.Errorf("unknown access key: %d %s", a.status, a.raw)
		}
		withToken := creds
		withToken.SessionToken = "session-token"
		if a := send(t, srv, adminAuth(srv, withToken, cognito.ConfirmedUsername, cognito.ConfirmedPassword)); a.status != 403 || !strings.Contains(a.raw, "<Code>InvalidClientTokenId</Code>") {
			t.Errorf("an IAM user's key with a session token: %d %s", a.status, a.raw)
		}
		unsigned := adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)
		unsigned.creds = nil
		if a := send(t, srv, unsigned); a.status != 500 {
			t.Errorf("unsigned admin call: moto answers a bare 500 (AWS: 400 MissingAuthenticationTokenException), got %d %s", a.status, a.raw)
		}
	})

	t.Run("moto does not check the signing time", func(t *testing.T) {
		old := adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)
		old.at = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		if a := send(t, srv, old); a.status != 200 {
			t.Errorf("a 2001 X-Amz-Date (AWS: 403 signature expired): %d %s", a.status, a.raw)
		}
	})

	t.Run("the scope's region selects moto's region", func(t *testing.T) {
		elsewhere := adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)
		elsewhere.region = "us-west-2"
		expectType(t, send(t, srv, elsewhere), 400, "ResourceNotFoundException")
	})

	t.Run("InitiateAuth needs no signature, and moto ignores a bad one", func(t *testing.T) {
		auth := func(clientID string, params map[string]string, c *aws.Credentials) call {
			return call{target: "InitiateAuth", creds: c, input: map[string]any{"ClientId": clientID, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": params}}
		}
		login := map[string]string{"USERNAME": cognito.ConfirmedUsername, "PASSWORD": cognito.ConfirmedPassword}
		if a := send(t, srv, auth(srv.PublicClientID, login, nil)); a.status != 200 || a.body["AuthenticationResult"] == nil {
			t.Errorf("unsigned InitiateAuth: %d %s", a.status, a.raw)
		}
		wrongSecret := creds
		wrongSecret.SecretAccessKey = "wrong"
		if a := send(t, srv, auth(srv.PublicClientID, login, &wrongSecret)); a.status != 200 {
			t.Errorf("InitiateAuth with a bad signature: %d %s", a.status, a.raw)
		}
		wrong := map[string]string{"USERNAME": cognito.ConfirmedUsername, "PASSWORD": "Wrong-1"}
		expectType(t, send(t, srv, auth(srv.PublicClientID, wrong, nil)), 400, "NotAuthorizedException")
		expectChallenge(t, send(t, srv, auth(srv.PublicClientID, map[string]string{"USERNAME": cognito.ForceChangeUsername, "PASSWORD": cognito.ForceChangeTemporaryPassword}, nil)), "NEW_PASSWORD_REQUIRED")

		withHash := func(hash string) map[string]string {
			return map[string]string{"USERNAME": cognito.ConfirmedUsername, "PASSWORD": cognito.ConfirmedPassword, "SECRET_HASH": hash}
		}
		right := secretHash(srv.ClientSecret, cognito.ConfirmedUsername, srv.SecretClientID)
		if a := send(t, srv, auth(srv.SecretClientID, withHash(right), nil)); a.status != 200 {
			t.Errorf("right SECRET_HASH: %d %s", a.status, a.raw)
		}
		// Real Cognito refuses both with NotAuthorizedException; moto 5.2.5 checks
		// SECRET_HASH only for USER_SRP_AUTH and REFRESH_TOKEN_AUTH.
		if a := send(t, srv, auth(srv.SecretClientID, withHash("AAAA"), nil)); a.status != 200 {
			t.Errorf("wrong SECRET_HASH (moto does not verify it): %d %s", a.status, a.raw)
		}
		if a := send(t, srv, auth(srv.SecretClientID, login, nil)); a.status != 200 {
			t.Errorf("missing SECRET_HASH (moto does not verify it): %d %s", a.status, a.raw)
		}
		// And moto ignores an admin-reset user's state on this flow.
		reset := map[string]string{"USERNAME": cognito.ResetUsername, "PASSWORD": cognito.ResetPassword}
		if a := send(t, srv, auth(srv.PublicClientID, reset, nil)); a.status != 200 || a.body["AuthenticationResult"] == nil {
			t.Errorf("reset user on USER_PASSWORD_AUTH: %d %s", a.status, a.raw)
		}
	})

	t.Run("records are redacted and faults apply", func(t *testing.T) {
		before := len(srv.Requests())
		srv.Inject(cognito.PasswordResetRequired(1))
		srv.Inject(cognito.TooManyRequests(2))
		expectType(t, send(t, srv, adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)), 400, "PasswordResetRequiredException")
		expectType(t, send(t, srv, adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)), 400, "TooManyRequestsException")
		if a := send(t, srv, adminAuth(srv, creds, cognito.ConfirmedUsername, cognito.ConfirmedPassword)); a.status != 200 {
			t.Errorf("third call goes to moto: %d %s", a.status, a.raw)
		}
		records := srv.Requests()[before:]
		if len(records) != 3 || records[0].Fault != "PasswordResetRequiredException" || records[2].Status != 200 {
			t.Fatalf("records %+v", records)
		}
		for _, r := range records {
			text := fmt.Sprintf("%+v", r)
			if strings.Contains(text, cognito.ConfirmedPassword) || strings.Contains(text, srv.SecretAccessKey) || strings.Contains(text, "eyJ") {
				t.Errorf("record leaks a secret: %s", text)
			}
		}
		if target := records[2].Header.Get("X-Amz-Target"); target != "AWSCognitoIdentityProviderService.AdminInitiateAuth" {
			t.Errorf("recorded target %q", target)
		}
		if auth := records[2].Header.Get("Authorization"); !strings.Contains(auth, "Credential="+srv.AccessKeyID+"/") {
			t.Errorf("recorded Authorization %q", auth)
		}
	})
}

func TestConfigErrors(t *testing.T) {
	_, err := cognito.New(cognito.Config{Users: []cognito.User{{Username: "x", Password: "Pw-123456", State: cognito.ResetRequired}}})
	if err == nil || !strings.Contains(err.Error(), "needs an Email") {
		t.Errorf("got %v", err)
	}
	t.Setenv("MOTO_SERVER", "/nonexistent/moto_server")
	_, err = cognito.New(cognito.Config{})
	if err == nil || !strings.Contains(err.Error(), "MOTO_SERVER=/nonexistent/moto_server") {
		t.Errorf("got %v", err)
	}
}

func expectType(t *testing.T, a answer, status int, errorType string) {
	t.Helper()
	if a.status != status || a.errorType() != errorType {
		t.Errorf("got %d %s, want %d %s", a.status, a.raw, status, errorType)
	}
}

func expectChallenge(t *testing.T, a answer, challenge string) {
	t.Helper()
	if a.status != 200 || a.body["ChallengeName"] != challenge || a.body["Session"] == nil {
		t.Errorf("got %d %s, want challenge %s", a.status, a.raw, challenge)
	}
}

func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}
