package kindeapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCreateListGetAndSetPassword(t *testing.T) {
	s := Start(t, Config{Clock: func() time.Time { return fixedTime }})
	c := newClient(t, s)

	created := c.do(http.MethodPost, "/api/v1/user", createBody)
	wantCreated := `{"id":"kp_00000000000000000000000000000001","created":true,` +
		`"identities":[{"type":"email","result":{"created":true}}]}`
	if created.status != http.StatusOK || string(created.body) != wantCreated {
		t.Fatalf("create answered %d %s, want %s", created.status, created.body, wantCreated)
	}
	id := "kp_00000000000000000000000000000001"

	filter := url.QueryEscape("nobody@example.com,ADA@example.com")
	listed := c.do(http.MethodGet, "/api/v1/users?email="+filter, "")
	wantListed := `{"code":"OK","message":"Success","users":[{"id":"` + id + `","email":"ada@example.com",` +
		`"last_name":"Lovelace","first_name":"Ada","is_suspended":false,"total_sign_ins":0,` +
		`"failed_sign_ins":0,"last_signed_in":null,"created_on":"2026-11-03T10:00:00Z"}]}`
	if listed.status != http.StatusOK || string(listed.body) != wantListed {
		t.Fatalf("list answered %d %s, want %s", listed.status, listed.body, wantListed)
	}

	none := c.do(http.MethodGet, "/api/v1/users?email=grace%40example.com", "")
	if string(none.body) != `{"code":"OK","message":"Success","users":[]}` {
		t.Fatalf("list of an unknown e-mail = %s", none.body)
	}

	got := c.do(http.MethodGet, "/api/v1/user?id="+id+"&expand=identities", "")
	wantGot := `{"id":"` + id + `","last_name":"Lovelace","first_name":"Ada","is_suspended":false,` +
		`"total_sign_ins":0,"failed_sign_ins":0,"last_signed_in":null,"created_on":"2026-11-03T10:00:00Z",` +
		`"identities":[{"type":"email","identity":"ada@example.com"}],"preferred_email":"ada@example.com"}`
	if got.status != http.StatusOK || string(got.body) != wantGot {
		t.Fatalf("get answered %d %s, want %s", got.status, got.body, wantGot)
	}

	hash := "$2b$10$abcdefghijklmnopqrstuuv8C2pX1Bz3CqW6i5xZQ0m7n5a9o1rS"
	set := c.do(http.MethodPut, "/api/v1/users/"+id+"/password",
		`{"hashed_password":"`+hash+`","hashing_method":"bcrypt","is_temporary_password":false}`)
	if set.status != http.StatusOK || string(set.body) != `{"message":"Success","code":"OK"}` {
		t.Fatalf("set password answered %d %s", set.status, set.body)
	}

	user, ok := s.UserByEmail("ada@example.com")
	if !ok {
		t.Fatal("UserByEmail found nobody")
	}
	if user.ID != id || user.GivenName != "Ada" || user.FamilyName != "Lovelace" ||
		len(user.Identities) != 1 || !user.Identities[0].IsVerified || !user.CreatedOn.Equal(fixedTime) {
		t.Errorf("stored user = %+v", user)
	}
	if user.Password == nil || user.Password.Hash.Reveal() != hash || user.Password.HashingMethod != "bcrypt" ||
		user.Password.IsTemporary || user.PasswordSets != 1 {
		t.Errorf("stored password = %+v (sets %d)", user.Password, user.PasswordSets)
	}
	for _, e := range s.Requests() {
		if strings.Contains(e.RequestBody, hash) {
			t.Errorf("a password hash was recorded: %s", e.RequestBody)
		}
	}
	printed := sprintAll(user) + sprintAll(user.Password) + sprintAll(*user.Password) + sprintAll(user.Password.Hash)
	if strings.Contains(printed, hash) || !strings.Contains(printed, "[REDACTED]") {
		t.Errorf("printing a user reveals its hash: %s", printed)
	}
	routes := []string{}
	for _, e := range s.Requests() {
		routes = append(routes, e.Route)
	}
	want := "POST /oauth2/token,POST /api/v1/user,GET /api/v1/users,GET /api/v1/users,GET /api/v1/user," +
		"PUT /api/v1/users/{user_id}/password"
	if strings.Join(routes, ",") != want {
		t.Errorf("recorded routes = %v", routes)
	}
}

func TestPasswordMethodDefaultsToBcryptAndKeepsItsParameters(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	seeded, err := s.AddUser(User{Identities: []Identity{{Type: "email", Value: "grace@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/users/" + seeded.ID + "/password"
	if a := c.do(http.MethodPut, path, `{"hashed_password":"h1","is_temporary_password":true}`); a.status != http.StatusOK {
		t.Fatalf("answered %d %s", a.status, a.body)
	}
	user, _ := s.UserByEmail("grace@example.com")
	if user.Password.HashingMethod != "bcrypt" || !user.Password.IsTemporary {
		t.Errorf("password = %+v", user.Password)
	}
	body := `{"hashed_password":"h2","hashing_method":"pbkdf2","salt":"c2FsdA==","iterations":1000,` +
		`"variant":"salted-pbkdf2-hmac-sha256"}`
	if a := c.do(http.MethodPut, path, body); a.status != http.StatusOK {
		t.Fatalf("answered %d %s", a.status, a.body)
	}
	user, _ = s.UserByEmail("grace@example.com")
	p := user.Password
	if p.Hash.Reveal() != "h2" || p.HashingMethod != "pbkdf2" || p.Salt.Reveal() != "c2FsdA==" ||
		p.Iterations != 1000 || p.Variant != "salted-pbkdf2-hmac-sha256" || p.IsTemporary || user.PasswordSets != 2 {
		t.Errorf("password = %+v", p)
	}
}

func TestUnknownUserIsA400WithoutStateChange(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	a := c.do(http.MethodPut, "/api/v1/users/kp_missing/password", `{"hashed_password":"h"}`)
	if a.status != http.StatusBadRequest || a.firstErrorCode(t) != "USER_NOT_FOUND" {
		t.Fatalf("answered %d %s", a.status, a.body)
	}
	g := c.do(http.MethodGet, "/api/v1/user?id=kp_missing", "")
	if g.status != http.StatusBadRequest || g.firstErrorCode(t) != "USER_NOT_FOUND" {
		t.Fatalf("answered %d %s", g.status, g.body)
	}
}

func TestListFiltersPagesAndExpands(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	for _, email := range []string{"a@x.io", "b@x.io", "c@x.io"} {
		if _, err := s.AddUser(User{Identities: []Identity{{Type: "email", Value: email}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddUser(User{ID: "kp_custom", Identities: []Identity{{Type: "username", Value: "dee"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(User{ID: "kp_custom"}); err == nil {
		t.Error("AddUser accepted a duplicate id")
	}

	first := c.do(http.MethodGet, "/api/v1/users?page_size=2", "").json(t)
	if ids := userIDs(first); ids != "kp_00000000000000000000000000000001,kp_00000000000000000000000000000002" {
		t.Fatalf("first page = %s", ids)
	}
	next, _ := first["next_token"].(string)
	second := c.do(http.MethodGet, "/api/v1/users?page_size=2&next_token="+url.QueryEscape(next), "").json(t)
	if ids := userIDs(second); ids != "kp_00000000000000000000000000000003,kp_custom" || second["next_token"] != nil {
		t.Fatalf("second page = %s next=%v", ids, second["next_token"])
	}

	byName := c.do(http.MethodGet, "/api/v1/users?username=dee&expand=identities", "").json(t)
	users := byName["users"].([]any)
	if len(users) != 1 {
		t.Fatalf("username filter = %v", byName)
	}
	identities := users[0].(map[string]any)["identities"].([]any)
	if identities[0].(map[string]any)["identity"] != "dee" || users[0].(map[string]any)["username"] != "dee" {
		t.Errorf("expanded identities = %v", users[0])
	}

	byID := c.do(http.MethodGet, "/api/v1/users?user_id=kp_custom,kp_00000000000000000000000000000002&email=b%40x.io", "").json(t)
	if ids := userIDs(byID); ids != "kp_00000000000000000000000000000002" {
		t.Errorf("combined filters = %s", ids)
	}
}

// userIDs lists the ids of a users_response, comma-separated.
func userIDs(response map[string]any) string {
	var ids []string
	for _, u := range response["users"].([]any) {
		ids = append(ids, u.(map[string]any)["id"].(string))
	}
	return strings.Join(ids, ",")
}

func TestDuplicateEmailPolicies(t *testing.T) {
	t.Run("allow creates a second user", func(t *testing.T) {
		s := Start(t, Config{DuplicateEmail: AllowDuplicate})
		c := newClient(t, s)
		c.do(http.MethodPost, "/api/v1/user", createBody)
		second := c.do(http.MethodPost, "/api/v1/user", strings.ReplaceAll(createBody, "ada@", "ADA@"))
		if second.status != http.StatusOK || second.json(t)["id"] != "kp_00000000000000000000000000000002" {
			t.Fatalf("answered %d %s", second.status, second.body)
		}
		if n := len(s.UsersByEmail("ada@example.com")); n != 2 {
			t.Errorf("%d users have the e-mail, want 2", n)
		}
	})
	t.Run("reject answers 400 and creates nothing", func(t *testing.T) {
		s := Start(t, Config{DuplicateEmail: RejectDuplicate})
		c := newClient(t, s)
		c.do(http.MethodPost, "/api/v1/user", createBody)
		second := c.do(http.MethodPost, "/api/v1/user", createBody)
		if second.status != http.StatusBadRequest || second.firstErrorCode(t) != "USER_ALREADY_EXISTS" {
			t.Fatalf("answered %d %s", second.status, second.body)
		}
		if n := len(s.Users()); n != 1 {
			t.Errorf("%d users, want 1", n)
		}
	})
	t.Run("skip-identity creates a user without the e-mail", func(t *testing.T) {
		s := Start(t, Config{DuplicateEmail: SkipDuplicateIdentity})
		c := newClient(t, s)
		c.do(http.MethodPost, "/api/v1/user", createBody)
		second := c.do(http.MethodPost, "/api/v1/user", createBody)
		want := `{"id":"kp_00000000000000000000000000000002","created":true,` +
			`"identities":[{"type":"email","result":{"created":false}}]}`
		if second.status != http.StatusOK || string(second.body) != want {
			t.Fatalf("answered %d %s", second.status, second.body)
		}
		users := s.Users()
		if len(users) != 2 || len(users[1].Identities) != 0 || len(s.UsersByEmail("ada@example.com")) != 1 {
			t.Errorf("users = %+v", users)
		}
	})
}

func TestParseDuplicateEmailPolicy(t *testing.T) {
	for _, p := range []DuplicateEmailPolicy{AllowDuplicate, RejectDuplicate, SkipDuplicateIdentity} {
		if got, err := ParseDuplicateEmailPolicy(p.String()); err != nil || got != p {
			t.Errorf("round trip of %v = %v, %v", p, got, err)
		}
	}
	if _, err := ParseDuplicateEmailPolicy("merge"); err == nil || !strings.Contains(err.Error(), `"merge"`) {
		t.Errorf("unknown policy error = %v", err)
	}
	if _, err := New(Config{DuplicateEmail: 7}); err == nil {
		t.Error("New accepted an unknown policy")
	}
}
