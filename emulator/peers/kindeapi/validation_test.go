package kindeapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestRequestsTheSpecForbidsAreRefusedAndRecorded(t *testing.T) {
	const seeded = "kp_00000000000000000000000000000001"
	password := "/api/v1/users/" + seeded + "/password"
	cases := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantCode, wantProblem                 string
	}{
		{"missing hashed_password", "PUT", password, "application/json", `{"hashing_method":"bcrypt"}`,
			400, "MISSING_FIELD", `property "hashed_password" is missing`},
		{"hashed_password of the wrong type", "PUT", password, "application/json", `{"hashed_password":42}`,
			400, "INVALID_TYPE", "body /hashed_password"},
		{"unknown hashing_method", "PUT", password, "application/json", `{"hashed_password":"h","hashing_method":"argon2"}`,
			400, "INVALID_VALUE", "body /hashing_method"},
		{"is_temporary_password as a string", "PUT", password, "application/json", `{"hashed_password":"h","is_temporary_password":"yes"}`,
			400, "INVALID_TYPE", "body /is_temporary_password"},
		{"misspelt field", "PUT", password, "application/json", `{"hashed_password":"h","hash_method":"md5"}`,
			400, "UNKNOWN_FIELD", "body /hash_method"},
		{"no body", "PUT", password, "application/json", ``,
			400, "MISSING_BODY", "request body is required"},
		{"pbkdf2 without salt", "PUT", password, "application/json", `{"hashed_password":"h","hashing_method":"pbkdf2","variant":"v"}`,
			400, "MISSING_FIELD", "salt is required for hashing_method pbkdf2"},
		{"firebase key with bcrypt", "PUT", password, "application/json", `{"hashed_password":"h","signer_key":"k"}`,
			400, "INVALID_FIELD", "body /signer_key"},
		{"empty hash", "PUT", password, "application/json", `{"hashed_password":""}`,
			400, "INVALID_FIELD", "body /hashed_password: must not be empty"},
		{"form body", "PUT", password, "application/x-www-form-urlencoded", `hashed_password=h`,
			400, "INVALID_BODY", "Content-Type"},
		{"unknown identity type", "POST", "/api/v1/user", "application/json", `{"identities":[{"type":"emial","details":{"email":"a@b.c"}}]}`,
			400, "INVALID_VALUE", "body /identities/0/type"},
		{"unknown profile field", "POST", "/api/v1/user", "application/json", `{"profile":{"first_name":"Ada"}}`,
			400, "UNKNOWN_FIELD", "body /profile/first_name"},
		{"email identity without address", "POST", "/api/v1/user", "application/json", `{"identities":[{"type":"email","details":{}}]}`,
			400, "MISSING_FIELD", "identity of type email needs details.email"},
		{"user id missing", "GET", "/api/v1/user", "", ``,
			400, "MISSING_PARAMETER", `parameter "id"`},
		{"page_size not an integer", "GET", "/api/v1/users?page_size=ten", "", ``,
			400, "INVALID_PARAMETER", `parameter "page_size"`},
		{"undeclared query parameter", "GET", "/api/v1/users?emails=a%40b.c", "", ``,
			400, "UNKNOWN_PARAMETER", `query parameter "emails"`},
		{"unknown expand", "GET", "/api/v1/users?expand=roles", "", ``,
			400, "INVALID_PARAMETER", `"roles" is not one of`},
		{"body on a GET", "GET", "/api/v1/users", "application/json", `{"email":"a@b.c"}`,
			400, "INVALID_REQUEST", "request body not allowed"},
		{"unknown route", "GET", "/api/v1/userz", "", ``,
			404, "", "the spec defines no route /api/v1/userz"},
		{"method the route lacks", "DELETE", "/api/v1/users", "", ``,
			405, "METHOD_NOT_ALLOWED", "no DELETE operation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, Config{})
			if _, err := s.AddUser(User{Identities: []Identity{{Type: "email", Value: "ada@example.com"}}}); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, s)
			header := c.headers()
			if tc.contentType == "" {
				header.Del("Content-Type")
			} else {
				header.Set("Content-Type", tc.contentType)
			}
			a := mustSend(t, tc.method, s.URL+tc.path, header, tc.body)
			if a.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.status, tc.wantStatus, a.body)
			}
			if tc.wantCode != "" && a.firstErrorCode(t) != tc.wantCode {
				t.Errorf("code %s, want %s: %s", a.firstErrorCode(t), tc.wantCode, a.body)
			}
			if tc.wantStatus == 400 && !strings.Contains(string(a.body), strings.ReplaceAll(tc.wantProblem, `"`, `\"`)) {
				t.Errorf("body %s does not name %q", a.body, tc.wantProblem)
			}
			violations := s.Violations()
			if len(violations) != 1 || violations[0].Kind != RequestViolation ||
				!strings.Contains(violations[0].Problem, tc.wantProblem) {
				t.Fatalf("violations = %v, want one naming %q", violations, tc.wantProblem)
			}
			t.Log(violations[0])
			users := s.Users()
			if len(users) != 1 || users[0].Password != nil {
				t.Errorf("a refused request changed state: %+v", users)
			}
		})
	}
}

func TestEveryProblemOfARequestIsReported(t *testing.T) {
	s := newServer(t, Config{})
	c := newClient(t, s)
	a := c.do(http.MethodPost, "/api/v1/user",
		`{"provided_id":7,"identities":[{"type":"fax","is_verified":"yes"}]}`)
	if a.status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var problems []string
	for _, v := range s.Violations() {
		problems = append(problems, v.Problem)
	}
	joined := strings.Join(problems, "\n")
	for _, want := range []string{"body /provided_id", "body /identities/0/type", "body /identities/0/is_verified"} {
		if !strings.Contains(joined, want) {
			t.Errorf("violations do not name %s:\n%s", want, joined)
		}
	}
}

func TestAllowUnknownFieldsFollowsTheSpecLetter(t *testing.T) {
	s := Start(t, Config{AllowUnknownFields: true})
	c := newClient(t, s)
	a := c.do(http.MethodPost, "/api/v1/user", `{"profile":{"given_name":"Ada","nickname":"A"}}`)
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if users := s.Users(); len(users) != 1 || users[0].GivenName != "Ada" {
		t.Errorf("users = %+v", users)
	}
}

func TestSecretsStayOutOfViolationsAndRecords(t *testing.T) {
	s := newServer(t, Config{})
	user, _ := s.AddUser(User{})
	c := newClient(t, s)
	const hash = "$2b$10$secretsecretsecretsecretsecretsecretsecretsecretsecre"
	c.do(http.MethodPut, "/api/v1/users/"+user.ID+"/password",
		`{"hashed_password":"`+hash+`","hashing_method":"scrypt","salt":"pepper-salt"}`)
	c.do(http.MethodPut, "/api/v1/users/"+user.ID+"/password", `{"hashed_password":["`+hash+`"]}`)
	var text []string
	for _, v := range s.Violations() {
		text = append(text, v.String())
	}
	for _, e := range s.Requests() {
		text = append(text, e.RequestBody, e.ResponseBody, e.String())
	}
	joined := strings.Join(text, "\n")
	if len(s.Violations()) < 2 {
		t.Fatalf("expected violations, got %v", s.Violations())
	}
	for _, secret := range []string{hash, "pepper-salt", DefaultClientSecret.Reveal(), c.token} {
		if strings.Contains(joined, secret) {
			t.Errorf("a secret leaked into the records:\n%s", joined)
		}
	}
	if !strings.Contains(joined, `"hashed_password":"[REDACTED]"`) {
		t.Errorf("records do not show the redacted field:\n%s", joined)
	}
}

func TestResponsesThatBreakTheSpecAreViolations(t *testing.T) {
	spec, err := specification()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/api/v1/user", nil)
	route, params, err := spec.router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	input := requestInput(req, nil, route, params)
	cases := []struct {
		name   string
		answer reply
		want   string
	}{
		{"id as a number", jsonReply(200, map[string]any{"id": 5, "created": true}), "status 200"},
		{"undocumented status", errorsReply(409, problem{Code: "CONFLICT"}), "status is not supported"},
		{"errors as an object", jsonReply(400, map[string]any{"errors": map[string]string{"code": "X"}}), "status 400"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems := validateResponse(context.Background(), input, tc.answer)
			if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), tc.want) {
				t.Fatalf("problems = %v, want one naming %q", problems, tc.want)
			}
		})
	}
	good := jsonReply(200, createUserResponse{ID: "kp_1", Created: true, Identities: []identityResult{}})
	if problems := validateResponse(context.Background(), input, good); len(problems) != 0 {
		t.Errorf("a valid answer was refused: %v", problems)
	}
}

// recordingTB is a testing.TB whose failures and cleanups are captured.
type recordingTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper()          {}
func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(format string, a ...any) {
	r.errors = append(r.errors, sprintf(format, a...))
}

func TestStartFailsTheTestThatCausedAViolation(t *testing.T) {
	recorder := &recordingTB{TB: t}
	s := Start(recorder, Config{})
	c := newClient(t, s)
	c.do(http.MethodPut, "/api/v1/users/kp_x/password", `{"hashing_method":"bcrypt"}`)
	for i := len(recorder.cleanups) - 1; i >= 0; i-- {
		recorder.cleanups[i]()
	}
	if len(recorder.errors) != 1 || !strings.Contains(recorder.errors[0], `property "hashed_password" is missing`) {
		t.Fatalf("Start reported %v", recorder.errors)
	}

	clean := &recordingTB{TB: t}
	s = Start(clean, Config{})
	newClient(t, s).do(http.MethodPost, "/api/v1/user", createBody)
	for _, f := range clean.cleanups {
		f()
	}
	if len(clean.errors) != 0 {
		t.Errorf("a clean run reported %v", clean.errors)
	}
}

func TestValidRequestsThePeerDoesNotModelAreFlagged(t *testing.T) {
	cases := []struct{ name, method, path, body, want string }{
		{"another operation", "GET", "/api/v1/organizations", "", "operation getOrganizations"},
		{"organization_code", "POST", "/api/v1/user", `{"organization_code":"org_1"}`, "organization_code"},
		{"active_since", "GET", "/api/v1/users?active_since=2026-01-01T00:00:00Z", "", "query parameter active_since"},
		{"expand billing", "GET", "/api/v1/users?expand=billing", "", "expand=billing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, Config{})
			a := newClient(t, s).do(tc.method, tc.path, tc.body)
			if a.status != http.StatusNotImplemented || a.firstErrorCode(t) != "NOT_MODELLED" {
				t.Fatalf("answered %d %s", a.status, a.body)
			}
			violations := s.Violations()
			if len(violations) != 1 || violations[0].Kind != UnsupportedRequest ||
				!strings.Contains(violations[0].Problem, tc.want) {
				t.Fatalf("violations = %v, want one unsupported naming %q", violations, tc.want)
			}
			if len(s.Users()) != 0 {
				t.Error("state changed")
			}
		})
	}
}
