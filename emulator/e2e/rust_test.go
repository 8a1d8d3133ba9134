package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// The drip-feed workflow's messages on the password field
// (crates/drip-feed: REJECTED_MESSAGE, RESET_MESSAGE, RETRY_MESSAGE).
const (
	rejectedMessage = "Incorrect email or password."
	resetMessage    = "Your password must be reset. Choose \"Forgot password\" to set a new one."
	retryMessage    = "We could not check your password just now. Please try again in a moment."
)

// Outcomes the drip-feed workflow resolves with.
const (
	migrated   = "migrated"
	mustReset  = "must_reset"
	rejected   = "rejected"
	locked     = "locked"
	retryLater = "retry_later"
	// alreadyInKinde: hasUserRecordInKinde was true; nothing was done.
	alreadyInKinde = "already_in_kinde"
)

// Fault is an injected misbehaviour of a legacy provider peer (the peers
// share one fault type).
type Fault = legacyapi.Fault

// slowAnswer delays the provider's answer far beyond slowClientTimeout: the
// request then fails as a timeout would in Kinde.
const (
	slowAnswer        = time.Minute
	slowClientTimeout = time.Second
)

// legacyProvider is one legacy identity provider, running, as a case sees it.
type legacyProvider struct {
	// env is the workflow's configuration for the provider.
	env map[string]string
	// routes send the provider's production hosts to tap.
	routes []emulator.Route
	// tap sees the raw requests on their way to the peer.
	tap *emulatortest.Server
	// inject arms a fault on the peer.
	inject func(Fault)
}

// rustCase is one sign-in of the Rust drip-feed against a provider.
type rustCase struct {
	name   string
	signIn signIn
	// env overrides the provider's variables; unset removes some.
	env   map[string]string
	unset []string
	// faults are injected on the provider before the run.
	faults []Fault
	// slow makes the run's HTTP client give up after slowClientTimeout.
	slow bool
	want rustExpectation
	// check makes provider-specific assertions after the common ones.
	check func(t *testing.T, rec *emulator.RunRecord, p *legacyProvider, calls []emulatortest.CapturedRequest)
}

// rustExpectation is what a case must produce.
type rustExpectation struct {
	// outcome is the resolved "outcome"; "" expects a rejection.
	outcome string
	// created, given and family describe a migration.
	created       bool
	given, family string
	// message is shown on p_password ("" for none).
	message string
	// errorHas are parts of the rejection's error line.
	errorHas []string
	// providerCalls is how many requests reach the provider.
	providerCalls int
}

// implementation is a drip-feed workflow the cases run against: the Rust one
// or the TypeScript reference.
type implementation struct {
	project func(testing.TB) *emulator.Project
	id      string
	// label prefixes each run's name in the secrets scan.
	label string
	// require checks outcome, actions and Kinde's state.
	require func(t *testing.T, rec *emulator.RunRecord, kinde *kindeapi.Server, email string, want rustExpectation)
}

var (
	rustImpl      = implementation{project: rustProject, id: rustWorkflow, require: requireRustExpectation}
	referenceImpl = implementation{project: referenceProject, id: referenceWorkflow, label: "reference: ", require: requireReferenceExpectation}
)

// runCases runs cases one after another against a provider set up once for a
// profile; each case gets its own Kinde peer and an empty token cache.
func runCases(t *testing.T, impl implementation, profile emulator.Profile, provider *legacyProvider, cases []rustCase) {
	project := impl.project(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			project.ClearTokenCache()
			kinde := startKinde(t, kindeapi.Config{})
			kindeTap := tap(t, kinde.URL)
			env := withEnv(m2mEnv(), provider.env, c.env)
			for _, name := range c.unset {
				delete(env, name)
			}
			opts := emulator.Options{Profile: profile, Routes: append([]emulator.Route{kindeTap.Route(kindeHost)}, provider.routes...)}
			if c.slow {
				opts.HTTPClient = &http.Client{Timeout: slowClientTimeout}
			}
			for _, f := range c.faults {
				provider.inject(f)
			}
			before := len(provider.tap.Requests())

			rec := run(t, project, impl.id, c.signIn.event(t), env, opts, impl.label+c.name)

			calls := provider.tap.Requests()[before:]
			if len(calls) != c.want.providerCalls {
				t.Errorf("the provider got %d requests, want %d", len(calls), c.want.providerCalls)
			}
			impl.require(t, rec, kinde, c.signIn.email, c.want)
			requireOnlyProviderGotPassword(t, c.signIn.password, provider.tap, kindeTap)
			for _, r := range rec.Requests {
				if host := hostOf(r.URL); host != kindeHost && !routed(provider.routes, host) {
					t.Errorf("request to unexpected host %s", host)
				}
			}
			if c.check != nil {
				c.check(t, rec, provider, calls)
			}
		})
	}
}

// requireRustExpectation checks outcome, actions and Kinde's state.
func requireRustExpectation(t *testing.T, rec *emulator.RunRecord, kinde *kindeapi.Server, email string, want rustExpectation) {
	t.Helper()
	if want.outcome == "" {
		if rec.Outcome.Status != emulator.StatusRejected {
			t.Fatalf("workflow %s with %s, want a rejection", rec.Outcome.Status, rec.Outcome.Value)
		}
		for _, part := range want.errorHas {
			if !strings.Contains(rec.Outcome.Error, part) {
				t.Errorf("error %q lacks %q", rec.Outcome.Error, part)
			}
		}
		requireFieldMessages(t, rec)
		requireNotMigrated(t, kinde)
		return
	}
	if want.outcome != migrated {
		requireOutcome(t, rec, fmt.Sprintf(`{"outcome":%q}`, want.outcome))
		if want.message == "" {
			requireFieldMessages(t, rec)
		} else {
			requireFieldMessages(t, rec, want.message)
		}
		requireNotMigrated(t, kinde)
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

// hostOf returns the host of a URL ("" when it does not parse).
func hostOf(rawURL string) string {
	rest, ok := strings.CutPrefix(rawURL, "https://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// routed reports whether a route pattern of routes covers host.
func routed(routes []emulator.Route, host string) bool {
	for _, r := range routes {
		pattern := r.Host
		switch {
		case pattern == host:
			return true
		case strings.HasPrefix(pattern, "*."):
			if strings.HasSuffix(host, pattern[1:]) {
				return true
			}
		case strings.Contains(pattern, "*"):
			prefix, suffix, _ := strings.Cut(pattern, "*")
			if strings.HasPrefix(host, prefix) && strings.HasSuffix(host, suffix) && !strings.Contains(host[len(prefix):len(host)-len(suffix)], ".") {
				return true
			}
		}
	}
	return false
}

// transientCases are the outages every provider can have, each answered
// with the retry message and no migration; rateLimit and serverError are
// the provider's own answers.
func transientCases(user signIn, rateLimit, serverError Fault, more ...rustCase) []rustCase {
	retry := rustExpectation{outcome: retryLater, message: retryMessage, providerCalls: 1}
	cases := []rustCase{
		{name: "rate limited", signIn: user, faults: []Fault{rateLimit}, want: retry},
		{name: "server error", signIn: user, faults: []Fault{serverError}, want: retry},
		{name: "malformed answer", signIn: user, faults: []Fault{legacyapi.Malformed(1)}, want: retry},
		{name: "empty answer", signIn: user, faults: []Fault{legacyapi.Empty(1)}, want: retry},
		{name: "dropped connection", signIn: user, faults: []Fault{legacyapi.Dropped(1)}, want: retry},
		{name: "timeout", signIn: user, faults: []Fault{legacyapi.Slow(1, slowAnswer)}, slow: true, want: retry},
	}
	return append(cases, more...)
}

// forEachProfile runs fn for every fetch profile in parallel subtests.
func forEachProfile(t *testing.T, fn func(t *testing.T, profile emulator.Profile)) {
	for _, profile := range emulator.AllProfiles() {
		t.Run(profileName(profile), func(t *testing.T) {
			t.Parallel()
			fn(t, profile)
		})
	}
}
