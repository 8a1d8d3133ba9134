package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/kindeapi"
)

// The Kinde business the events come from and its M2M application.
const (
	kindeHost     = "acme.kinde.com"
	kindeDomain   = "https://" + kindeHost
	m2mClientID   = "e2e-m2m-client"
	m2mSecret     = "e2e-M2M-client-secret-7f3a9c"
	endUserIP     = "203.0.113.7"
	passwordField = "p_password"
)

// Workflow ids.
const (
	rustWorkflow      = "dripFeedMigration"
	referenceWorkflow = "dripFeedReference"
)

// The Kinde peer's routes, as the workflows' requests reach it.
const (
	tokenRoute       = "POST /oauth2/token"
	jwksRoute        = "GET /.well-known/jwks.json"
	findUsersRoute   = "GET /api/v1/users"
	createUserRoute  = "POST /api/v1/user"
	setPasswordRoute = "PUT /api/v1/users/{user_id}/password"
)

// projects lends each test a Project of its own: kinde.cache belongs to a
// Project, and a test that asserts the exact requests to Kinde must start
// with an empty cache. Projects are reused once a test is done, so a
// directory is loaded at most as often as tests run at the same time.
var projects = struct {
	sync.Mutex
	idle map[string][]*emulator.Project
}{idle: map[string][]*emulator.Project{}}

// acquireProject returns a Project of dir with an empty token cache, lent
// to t until it ends.
func acquireProject(t testing.TB, dir string) *emulator.Project {
	t.Helper()
	projects.Lock()
	var project *emulator.Project
	if idle := projects.idle[dir]; len(idle) > 0 {
		project, projects.idle[dir] = idle[len(idle)-1], idle[:len(idle)-1]
	}
	projects.Unlock()
	if project == nil {
		loaded, err := emulator.Load(dir)
		if err != nil {
			t.Fatalf("loading %s: %v", dir, err)
		}
		project = loaded
	}
	project.ClearTokenCache()
	t.Cleanup(func() {
		projects.Lock()
		defer projects.Unlock()
		projects.idle[dir] = append(projects.idle[dir], project)
	})
	return project
}

// rustProject is the repository's kindeSrc, which must hold the drip-feed
// workflow built by `cargo kinde build`.
func rustProject(t testing.TB) *emulator.Project {
	t.Helper()
	project := acquireProject(t, emulatortest.RepoRoot(t))
	if _, ok := project.Workflow(rustWorkflow); !ok {
		t.Fatalf("kindeSrc has no workflow %q: run `cargo kinde build -p drip-feed` and commit kindeSrc", rustWorkflow)
	}
	return project
}

// referenceProject is the TypeScript reference project under reference/.
func referenceProject(t testing.TB) *emulator.Project {
	t.Helper()
	return acquireProject(t, filepath.Join(emulatortest.RepoRoot(t), "reference"))
}

// hashFor is the bcrypt-shaped hash Kinde computed for email's password:
// distinct per user, so a test can tell whose hash was stored.
func hashFor(email string) string {
	sum := sha256.Sum256([]byte("e2e-hash:" + email))
	return "$2a$10$" + hex.EncodeToString(sum[:])[:53]
}

// signIn is one user:existing_password_provided event.
type signIn struct {
	email, password string
	// inKinde is hasUserRecordInKinde.
	inKinde bool
}

// event renders the sign-in as Kinde sends it and registers its password
// and hash with the secrets scan.
func (s signIn) event(t testing.TB) []byte {
	t.Helper()
	collected.secret(t, "password of "+s.email, s.password)
	collected.secret(t, "bcrypt hash of "+s.email, hashFor(s.email))
	data, err := json.Marshal(map[string]any{
		"request": map[string]any{"ip": endUserIP, "userAgent": "Mozilla/5.0 (e2e)"},
		"context": map[string]any{
			"domains": map[string]any{"kindeDomain": kindeDomain},
			"auth": map[string]any{
				"providedEmail":        s.email,
				"password":             s.password,
				"hashedPassword":       hashFor(s.email),
				"hasUserRecordInKinde": s.inKinde,
			},
			"workflow":    map[string]any{"trigger": "user:existing_password_provided"},
			"application": map[string]any{"clientId": "e2e-application"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// m2mEnv is the M2M application's variables, read by createKindeAPI.
func m2mEnv() map[string]string {
	return map[string]string{"KINDE_WF_M2M_CLIENT_ID": m2mClientID, "KINDE_WF_M2M_CLIENT_SECRET": m2mSecret}
}

// withEnv merges variable maps; later ones win.
func withEnv(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// startKinde starts a Management API peer for acme.kinde.com that fails t
// on any spec violation, and collects its exchanges and users for the
// secrets scan.
func startKinde(t testing.TB, config kindeapi.Config) *kindeapi.Server {
	t.Helper()
	config.PublicURL = kindeDomain
	config.ClientID = m2mClientID
	config.ClientSecret = kindeapi.NewSecret(m2mSecret)
	collected.secret(t, "M2M client secret", m2mSecret)
	s := kindeapi.Start(t, config)
	collectKinde(t, s)
	return s
}

// collectKinde hands the peer's records to the secrets scan when t ends.
func collectKinde(t testing.TB, s *kindeapi.Server) {
	t.Cleanup(func() {
		collected.json(t, t.Name()+": Kinde peer exchanges", s.Requests())
		collected.text(t.Name()+": Kinde peer users", fmt.Sprintf("%+v %v", s.Users(), s.Violations()))
	})
}

// run runs a workflow, collects its record for the secrets scan and
// returns it.
func run(t testing.TB, project *emulator.Project, workflowID string, event []byte, env map[string]string, opts emulator.Options, label string) *emulator.RunRecord {
	t.Helper()
	rec := emulatortest.Run(t, project, workflowID, event, env, opts)
	collected.record(t, label, rec)
	return rec
}

// tap is a loopback reverse proxy in front of a peer that keeps the raw
// requests (passwords included) so a test can prove what reached the peer.
// A peer that drops the connection makes the tap drop the workflow's
// connection too. Raw requests never go to the secrets scan.
func tap(t testing.TB, target string) *emulatortest.Server {
	t.Helper()
	upstream, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			r.Out.Host = r.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
				return
			}
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	return emulatortest.NewServer(t, proxy.ServeHTTP)
}

// kindeRoutes lists the routes of the Kinde peer's exchanges, in order.
func kindeRoutes(s *kindeapi.Server) []string {
	routes := []string{}
	for _, e := range s.Requests() {
		routes = append(routes, e.Route)
	}
	return routes
}

// migrationRoutes is what a migration of a user not yet in Kinde sends to
// Kinde with an empty token cache, in both languages: each run makes one
// createKindeAPI client, so it asks for the token once, then looks the user
// up, creates it and sets the password.
var migrationRoutes = []string{tokenRoute, findUsersRoute, createUserRoute, setPasswordRoute}

// requireOutcome checks the resolved value (JSON) of a run.
func requireOutcome(t testing.TB, rec *emulator.RunRecord, want string) {
	t.Helper()
	if rec.Outcome.Status != emulator.StatusResolved {
		t.Fatalf("workflow %s: %s\n%s", rec.Outcome.Status, rec.Outcome.Error, rec.Outcome.Stack)
	}
	if !jsonEqual(string(rec.Outcome.Value), want) {
		t.Errorf("outcome = %s, want %s", rec.Outcome.Value, want)
	}
}

// requireFieldMessages checks the run's actions: exactly one
// invalidateFormField on p_password per message, nothing else.
func requireFieldMessages(t testing.TB, rec *emulator.RunRecord, messages ...string) {
	t.Helper()
	want := []string{}
	for _, m := range messages {
		data, _ := json.Marshal([]string{passwordField, m})
		want = append(want, "widget.invalidateFormField "+string(data))
	}
	got := []string{}
	for _, a := range rec.Actions {
		got = append(got, a.Kind+" "+string(a.Args))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("actions = %q, want %q", got, want)
	}
}

// requireMigrated checks that the peer holds exactly one user for email,
// with the event's hash (bcrypt) set once and the names given.
func requireMigrated(t testing.TB, s *kindeapi.Server, email, givenName, familyName string) kindeapi.User {
	t.Helper()
	users := s.UsersByEmail(email)
	if len(users) != 1 {
		t.Fatalf("Kinde has %d users with e-mail %s, want 1", len(users), email)
	}
	u := users[0]
	if u.Password == nil {
		t.Fatalf("Kinde user %s has no password", u.ID)
	}
	if u.Password.Hash.Reveal() != hashFor(email) || u.Password.HashingMethod != "bcrypt" || u.Password.IsTemporary {
		t.Errorf("Kinde user %s: hash matches the event's: %v, method %q, temporary %v",
			u.ID, u.Password.Hash.Reveal() == hashFor(email), u.Password.HashingMethod, u.Password.IsTemporary)
	}
	if u.GivenName != givenName || u.FamilyName != familyName {
		t.Errorf("Kinde user names = %q %q, want %q %q", u.GivenName, u.FamilyName, givenName, familyName)
	}
	return u
}

// requireNotMigrated checks that Kinde was not called and holds no user.
func requireNotMigrated(t testing.TB, s *kindeapi.Server) {
	t.Helper()
	if routes := kindeRoutes(s); len(routes) != 0 {
		t.Errorf("Kinde was called: %q", routes)
	}
	if users := s.Users(); len(users) != 0 {
		t.Errorf("Kinde has %d users, want none", len(users))
	}
}

// jsonEqual compares two JSON documents by value.
func jsonEqual(a, b string) bool {
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// profileName makes a subtest name of a profile.
func profileName(p emulator.Profile) string { return p.Name() }

// decodeJSON decodes text into v and reports success.
func decodeJSON(text string, v any) bool { return json.Unmarshal([]byte(text), v) == nil }
