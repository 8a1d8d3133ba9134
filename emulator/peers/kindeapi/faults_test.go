package kindeapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// mustInject arms f or fails the test.
func mustInject(t *testing.T, s *Server, f Fault) {
	t.Helper()
	if err := s.Inject(f); err != nil {
		t.Fatalf("Inject(%+v): %v", f, err)
	}
}

func TestRateLimitOnTheNthCall(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "POST /api/v1/user", Call: 2, Kind: RateLimited, ResetSeconds: 7})

	statuses := []int{}
	for _, email := range []string{"a@x.io", "b@x.io", "c@x.io"} {
		a := c.do(http.MethodPost, "/api/v1/user", strings.ReplaceAll(createBody, "ada@example.com", email))
		statuses = append(statuses, a.status)
		if a.status == http.StatusTooManyRequests {
			if a.header.Get("RateLimit-Reset") != "7" || a.firstErrorCode(t) != "TOO_MANY_REQUESTS" {
				t.Errorf("429 answer: %v %s", a.header, a.body)
			}
		}
	}
	if statuses[0] != 200 || statuses[1] != 429 || statuses[2] != 200 {
		t.Fatalf("statuses = %v, want [200 429 200]", statuses)
	}
	if _, ok := s.UserByEmail("b@x.io"); ok {
		t.Error("the throttled call created a user")
	}
	if len(s.Users()) != 2 {
		t.Errorf("users = %d, want 2", len(s.Users()))
	}
	exchanges := s.Requests()
	if last := exchanges[len(exchanges)-2]; last.Fault != RateLimited || last.Status != 429 {
		t.Errorf("recorded exchange = %+v", last)
	}
}

func TestServerErrorOnEveryCall(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "POST /api/v1/user", Kind: ServerError, Status: 503})
	for range 3 {
		if a := c.do(http.MethodPost, "/api/v1/user", createBody); a.status != 503 || a.firstErrorCode(t) != "INTERNAL_SERVER_ERROR" {
			t.Fatalf("answered %d %s", a.status, a.body)
		}
	}
	if len(s.Users()) != 0 {
		t.Error("a failed call created a user")
	}
	if a := c.do(http.MethodGet, "/api/v1/users", ""); a.status != 200 {
		t.Errorf("another route was affected: %d", a.status)
	}
}

func TestDelayHoldsTheAnswerUntilTheWaitEnds(t *testing.T) {
	waiting := make(chan time.Duration)
	release := make(chan struct{})
	s := Start(t, Config{Sleep: func(_ context.Context, d time.Duration) error {
		waiting <- d
		<-release
		return nil
	}})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "POST /api/v1/user", Call: 1, Kind: Delayed, Delay: 3 * time.Second})

	done := make(chan answer)
	go func() { done <- c.do(http.MethodPost, "/api/v1/user", createBody) }()
	if d := <-waiting; d != 3*time.Second {
		t.Errorf("slept %v, want 3s", d)
	}
	if len(s.Users()) != 0 {
		t.Error("the delayed call was applied before its wait ended")
	}
	close(release)
	if a := <-done; a.status != http.StatusOK {
		t.Fatalf("answered %d %s", a.status, a.body)
	}
	if len(s.Users()) != 1 {
		t.Error("the delayed call was not applied")
	}
}

func TestCloseEndsADelayedCall(t *testing.T) {
	sleeping := make(chan struct{})
	s, err := New(Config{Sleep: func(ctx context.Context, d time.Duration) error {
		close(sleeping)
		return sleepContext(ctx, d)
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "GET /api/v1/users", Kind: Delayed, Delay: time.Hour})
	failed := make(chan error)
	go func() {
		_, err := c.try(http.MethodGet, "/api/v1/users", "")
		failed <- err
	}()
	<-sleeping
	s.Close()
	if err := <-failed; err == nil {
		t.Error("the client got an answer from a closed server")
	}
	last := s.Requests()[len(s.Requests())-1]
	if last.Status != 0 || last.Fault != Delayed {
		t.Errorf("recorded %+v", last)
	}
}

func TestLostAnswerAppliesTheChangeButTheClientGetsNothing(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "POST /api/v1/user", Call: 1, Kind: LostAnswer})

	_, err := c.try(http.MethodPost, "/api/v1/user", createBody)
	if err == nil {
		t.Fatal("the client got an answer")
	}
	users := s.UsersByEmail("ada@example.com")
	if len(users) != 1 {
		t.Fatalf("%d users after the lost answer, want 1", len(users))
	}
	last := s.Requests()[len(s.Requests())-1]
	if last.Status != 0 || last.Fault != LostAnswer || last.Route != "POST /api/v1/user" {
		t.Errorf("recorded %+v", last)
	}

	// A naive retry duplicates the user: what a workflow must avoid by
	// searching before creating.
	if a := c.do(http.MethodPost, "/api/v1/user", createBody); a.status != http.StatusOK {
		t.Fatalf("retry answered %d", a.status)
	}
	if n := len(s.UsersByEmail("ada@example.com")); n != 2 {
		t.Errorf("%d users after a blind retry, want 2", n)
	}
}

func TestLostAnswerOnSetPassword(t *testing.T) {
	s := Start(t, Config{})
	user, _ := s.AddUser(User{Identities: []Identity{{Type: "email", Value: "ada@example.com"}}})
	c := newClient(t, s)
	route := "PUT /api/v1/users/{user_id}/password"
	mustInject(t, s, Fault{Route: route, Call: 1, Kind: LostAnswer})
	if _, err := c.try(http.MethodPut, "/api/v1/users/"+user.ID+"/password", `{"hashed_password":"h"}`); err == nil {
		t.Fatal("the client got an answer")
	}
	stored, _ := s.UserByEmail("ada@example.com")
	if stored.Password == nil || stored.Password.Hash.Reveal() != "h" {
		t.Error("the password was not set before the answer was lost")
	}
}

func TestBadGatewayAfterCommit(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "post /api/v1/user", Call: 1, Kind: BadGatewayAfterCommit})
	a := c.do(http.MethodPost, "/api/v1/user", createBody)
	if a.status != http.StatusBadGateway {
		t.Fatalf("answered %d %s", a.status, a.body)
	}
	if len(s.Users()) != 1 {
		t.Error("the change was not applied")
	}
}

func TestFaultOnTheTokenEndpoint(t *testing.T) {
	s := Start(t, Config{})
	mustInject(t, s, Fault{Route: "POST /oauth2/token", Call: 1, Kind: RateLimited, ResetSeconds: 2})
	if a := requestToken(t, s, tokenForm(s)); a.status != http.StatusTooManyRequests || a.header.Get("RateLimit-Reset") != "2" {
		t.Fatalf("answered %d %v", a.status, a.header)
	}
	if a := requestToken(t, s, tokenForm(s)); a.status != http.StatusOK {
		t.Fatalf("second token request answered %d", a.status)
	}
}

func TestFirstInjectedFaultWinsAndCountersAdvanceTogether(t *testing.T) {
	s := Start(t, Config{})
	c := newClient(t, s)
	mustInject(t, s, Fault{Route: "GET /api/v1/users", Call: 2, Kind: ServerError})
	mustInject(t, s, Fault{Route: "GET /api/v1/users", Call: 2, Kind: RateLimited})
	mustInject(t, s, Fault{Route: "GET /api/v1/users", Call: 3, Kind: RateLimited})
	var statuses []int
	for range 4 {
		statuses = append(statuses, c.do(http.MethodGet, "/api/v1/users", "").status)
	}
	if want := []int{200, 500, 429, 200}; !slices.Equal(statuses, want) {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
}

func TestInjectRefusesBadFaults(t *testing.T) {
	s := Start(t, Config{})
	cases := []struct {
		fault Fault
		want  string
	}{
		{Fault{Route: "/api/v1/user", Kind: ServerError}, "is not \"METHOD /path/template\""},
		{Fault{Route: "POST /api/v1/users", Kind: ServerError}, "names no operation"},
		{Fault{Route: "PUT /api/v1/users/{id}/password", Kind: ServerError}, "names no operation"},
		{Fault{Route: "POST /api/v1/user", Kind: ServerError, Call: -1}, "Call -1"},
		{Fault{Route: "POST /api/v1/user", Kind: ServerError, Status: 404}, "not a 5xx"},
		{Fault{Route: "POST /api/v1/user", Kind: Delayed}, "Delay"},
		{Fault{Route: "POST /api/v1/user", Kind: RateLimited, ResetSeconds: -1}, "ResetSeconds"},
		{Fault{Route: "POST /api/v1/user"}, "not a known fault kind"},
	}
	for _, tc := range cases {
		err := s.Inject(tc.fault)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Inject(%+v) = %v, want an error naming %q", tc.fault, err, tc.want)
		}
	}
	if err := s.Inject(Fault{Route: "GET /api/v1/organizations", Kind: ServerError}); err != nil {
		t.Errorf("a spec operation the peer does not model can still fail: %v", err)
	}
}
