package azureb2c_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator/peers/azureb2c"
	"kindewasm/emulator/peers/internal/idtoken"
)

const (
	appID  = "11111111-2222-3333-4444-555555555555"
	policy = "B2C_1_ROPC"
)

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func startPeer(t *testing.T, wrongCredentialsError string) *azureb2c.Server {
	t.Helper()
	return azureb2c.Start(t, azureb2c.Config{
		Tenant:   "contoso",
		Policies: []string{policy},
		Applications: []azureb2c.Application{
			{ID: appID},
			{ID: "no-ropc", Misconfiguration: azureb2c.ROPCNotEnabled},
			{ID: "no-implicit", Misconfiguration: azureb2c.ImplicitFlowNotAllowed},
			{ID: "confidential", Misconfiguration: azureb2c.NotPublicClient},
		},
		Users: []azureb2c.User{
			{SignInName: "ada@example.com", Password: "Correct-1", Email: "ada@example.com", GivenName: "Ada", FamilyName: "Lovelace"},
			{SignInName: "disabled@example.com", Password: "pw", State: azureb2c.Disabled},
			{SignInName: "locked@example.com", Password: "pw", State: azureb2c.Locked},
			{SignInName: "expired@example.com", Password: "pw", State: azureb2c.PasswordExpired},
		},
		WrongCredentialsError: wrongCredentialsError,
		LockoutThreshold:      3,
		Clock:                 func() time.Time { return fixedNow },
	})
}

func ropc(username, password string) url.Values {
	return url.Values{
		"grant_type": {"password"}, "client_id": {appID}, "username": {username}, "password": {password},
		"scope": {"openid " + appID + " offline_access"}, "response_type": {"token id_token"},
	}
}

func post(t *testing.T, target string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("not JSON: %q", raw)
	}
	return resp.StatusCode, body
}

func TestSuccessMatchesTheDocumentedAnswer(t *testing.T) {
	srv := startPeer(t, "")
	status, body := post(t, srv.TokenURL(policy), ropc("ADA@example.com", "Correct-1"))
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	if body["token_type"] != "Bearer" || body["expires_in"] != "3600" {
		t.Errorf("token_type/expires_in (a string in B2C's ROPC answer): %v", body)
	}
	for _, field := range []string{"access_token", "refresh_token", "id_token"} {
		if s, _ := body[field].(string); s == "" {
			t.Errorf("missing %s", field)
		}
	}
	claims, err := idtoken.Verify(body["id_token"].(string), []byte("azureb2c-peer-signing-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if claims["given_name"] != "Ada" || claims["family_name"] != "Lovelace" || claims["aud"] != appID ||
		fmt.Sprint(claims["emails"]) != "[ada@example.com]" || claims["tfp"] != policy {
		t.Errorf("claims %v", claims)
	}
}

func TestWithoutOfflineAccessThereIsNoRefreshToken(t *testing.T) {
	srv := startPeer(t, "")
	form := ropc("ada@example.com", "Correct-1")
	form.Set("scope", "openid "+appID)
	_, body := post(t, srv.TokenURL(policy), form)
	if _, ok := body["refresh_token"]; ok {
		t.Errorf("refresh_token without offline_access: %v", body)
	}
}

func TestErrorsCarryAADB2CCodes(t *testing.T) {
	with := func(change func(url.Values)) url.Values {
		f := ropc("ada@example.com", "Correct-1")
		change(f)
		return f
	}
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
		prefix string
	}{
		{"wrong password", with(func(f url.Values) { f.Set("password", "nope") }), 400, "access_denied", "AADB2C90225: The username or password provided in the request are invalid."},
		{"unknown user", with(func(f url.Values) { f.Set("username", "ghost@example.com") }), 400, "access_denied", "AADB2C90225:"},
		{"disabled", with(func(f url.Values) { f.Set("username", "disabled@example.com"); f.Set("password", "pw") }), 400, "access_denied", "AADB2C90111:"},
		{"locked", with(func(f url.Values) { f.Set("username", "locked@example.com"); f.Set("password", "pw") }), 400, "access_denied", "AADB2C90114:"},
		{"expired", with(func(f url.Values) { f.Set("username", "expired@example.com"); f.Set("password", "pw") }), 400, "access_denied", "Your password has expired."},
		{"no client id", with(func(f url.Values) { f.Del("client_id") }), 400, "invalid_request", "AADB2C90008:"},
		{"unknown client", with(func(f url.Values) { f.Set("client_id", "ghost") }), 400, "invalid_request", "AADB2C90018: The client ID 'ghost' specified in the request is not registered in tenant 'contoso.onmicrosoft.com'."},
		{"ropc disabled", with(func(f url.Values) { f.Set("client_id", "no-ropc") }), 400, "unauthorized_client", "AADB2C90224:"},
		{"implicit disabled", with(func(f url.Values) { f.Set("client_id", "no-implicit") }), 400, "unauthorized_client", "AADB2C90057:"},
		{"not public", with(func(f url.Values) { f.Set("client_id", "confidential") }), 400, "unauthorized_client", "AADB2C90058:"},
		{"client secret sent", with(func(f url.Values) { f.Set("client_secret", "x") }), 400, "invalid_request", "AADB2C90084:"},
		{"no scope", with(func(f url.Values) { f.Del("scope") }), 400, "invalid_request", "AADB2C90010:"},
		{"no openid", with(func(f url.Values) { f.Set("scope", appID) }), 400, "invalid_request", "AADB2C90110:"},
		{"foreign scope", with(func(f url.Values) { f.Set("scope", "openid https://graph/x") }), 400, "invalid_request", "AADB2C90117:"},
		{"bad response type", with(func(f url.Values) { f.Set("response_type", "code") }), 400, "invalid_request", "AADB2C90013:"},
		{"no response type", with(func(f url.Values) { f.Del("response_type") }), 400, "invalid_request", "AADB2C90083: The request is missing required parameter: response_type."},
		{"no password", with(func(f url.Values) { f.Del("password") }), 400, "invalid_request", "AADB2C90083: The request is missing required parameter: password."},
		{"bad grant", with(func(f url.Values) { f.Set("grant_type", "client_credentials") }), 400, "unsupported_grant_type", "AADB2C90086:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startPeer(t, "")
			status, body := post(t, srv.TokenURL(policy), tc.form)
			description, _ := body["error_description"].(string)
			if status != tc.status || body["error"] != tc.code || !strings.HasPrefix(description, tc.prefix) {
				t.Errorf("got %d %v, want %d %s %q…", status, body, tc.status, tc.code, tc.prefix)
			}
			want := "\r\nCorrelation ID: 00000000-0000-4000-8000-000000000001\r\nTimestamp: 2026-11-28 12:00:00Z\r\n"
			if !strings.HasSuffix(description, want) {
				t.Errorf("description trailer %q", description)
			}
		})
	}
}

func TestInvalidGrantVariantAndLockout(t *testing.T) {
	srv := startPeer(t, "invalid_grant")
	for i := 0; i < 3; i++ {
		_, body := post(t, srv.TokenURL(policy), ropc("ada@example.com", "nope"))
		if body["error"] != "invalid_grant" {
			t.Fatalf("attempt %d: %v", i+1, body)
		}
	}
	_, body := post(t, srv.TokenURL(policy), ropc("ada@example.com", "Correct-1"))
	if d, _ := body["error_description"].(string); !strings.HasPrefix(d, "AADB2C90114:") {
		t.Errorf("after the lockout threshold the account is temporarily locked: %v", body)
	}
}

func TestUnknownTenantAndPolicyAre404(t *testing.T) {
	srv := startPeer(t, "")
	form := ropc("ada@example.com", "Correct-1")
	for _, target := range []string{
		srv.URL + "/fabrikam.onmicrosoft.com/" + policy + "/oauth2/v2.0/token",
		srv.TokenURL("B2C_1_other"),
	} {
		if status, body := post(t, target, form); status != 404 {
			t.Errorf("%s: %d %v", target, status, body)
		}
	}
	if status, _ := post(t, srv.TokenURL(strings.ToLower(policy)), form); status != 200 {
		t.Errorf("policy names are case-insensitive: %d", status)
	}
}

func TestFaultsAndRedactedRecords(t *testing.T) {
	srv := startPeer(t, "")
	srv.Inject(azureb2c.TemporarilyUnavailable(1))
	srv.Inject(azureb2c.InternalError(2))
	srv.Inject(azureb2c.Throttled(3))
	srv.Inject(azureb2c.Empty(4))
	want := []struct {
		status int
		prefix string
	}{{503, "AADB2C90035:"}, {500, "AADB2C90085:"}, {429, "AADB2C90244:"}}
	for i, w := range want {
		status, body := post(t, srv.TokenURL(policy), ropc("ada@example.com", "Correct-1"))
		if d, _ := body["error_description"].(string); status != w.status || !strings.HasPrefix(d, w.prefix) {
			t.Errorf("call %d: %d %v", i+1, status, body)
		}
	}
	resp, err := http.PostForm(srv.TokenURL(policy), ropc("ada@example.com", "Correct-1"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(raw) != 0 {
		t.Errorf("empty fault: %d %q", resp.StatusCode, raw)
	}
	if status, _ := post(t, srv.TokenURL(policy), ropc("ada@example.com", "Correct-1")); status != 200 {
		t.Errorf("fifth call is normal: %d", status)
	}
	records := srv.Requests()
	if len(records) != 5 || records[4].Status != 200 || records[0].Fault != "unavailable" {
		t.Fatalf("records %+v", records)
	}
	for _, r := range records {
		if strings.Contains(r.Body, "Correct-1") || strings.Contains(r.ResponseBody, "eyJ") {
			t.Errorf("record leaks a secret: %+v", r)
		}
	}
	if !strings.Contains(records[4].Body, "username=ada%40example.com") {
		t.Errorf("record body %q", records[4].Body)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		config azureb2c.Config
		want   string
	}{
		{azureb2c.Config{Policies: []string{"p"}}, "Config.Tenant is empty"},
		{azureb2c.Config{Tenant: "t"}, "Config.Policies is empty"},
		{azureb2c.Config{Tenant: "t", Policies: []string{"p"}, WrongCredentialsError: "nope"}, `WrongCredentialsError "nope"`},
	} {
		if _, err := azureb2c.New(tc.config); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if u := (azureb2c.User{SignInName: "a", Password: "hunter2"}); strings.Contains(fmt.Sprintf("%v %+v %#v", u, u, u), "hunter2") {
		t.Error("User prints its password")
	}
}
