package e2e

import (
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/legacyapi"
)

// The generic legacy endpoint as the workflows know it.
const (
	legacyHost = "legacy.example.com"
	legacyURL  = "https://" + legacyHost + legacyapi.DefaultPath
)

// startLegacy starts the generic legacy endpoint (failing t on contract
// violations), registers its passwords with the secrets scan and collects
// its exchanges.
func startLegacy(t testing.TB, config legacyapi.Config) *legacyapi.Server {
	t.Helper()
	for _, u := range config.Users {
		collected.secret(t, "legacy password of "+u.Email, u.Password)
	}
	if config.SecureFetchKey != "" {
		collected.secret(t, "secureFetch key", config.SecureFetchKey)
	}
	s := legacyapi.Start(t, config)
	collectLegacy(t, s)
	return s
}

// collectLegacy hands the legacy peer's records to the secrets scan when t
// ends.
func collectLegacy(t testing.TB, s *legacyapi.Server) {
	t.Cleanup(func() {
		collected.json(t, t.Name()+": legacy peer exchanges", s.Requests())
		collected.json(t, t.Name()+": legacy peer attempts", s.Attempts())
	})
}

// requireOnlyProviderGotPassword checks, on raw traffic, that the password
// reached the legacy provider (its tap) and never Kinde (its tap).
func requireOnlyProviderGotPassword(t testing.TB, password string, provider, kinde *emulatortest.Server) {
	t.Helper()
	for _, r := range kinde.Requests() {
		raw := r.Method + " " + r.Path + "?" + r.RawQuery + "\n" + r.Body
		for name, values := range r.Header {
			raw += "\n" + name + ": " + strings.Join(values, ",")
		}
		if strings.Contains(raw, password) {
			t.Errorf("the password reached Kinde in %s %s", r.Method, r.Path)
		}
	}
	calls := provider.Requests()
	for _, r := range calls {
		if strings.Contains(r.Body, password) {
			return
		}
	}
	if len(calls) > 0 {
		t.Errorf("the provider got %d requests, none carrying the password", len(calls))
	}
}

// legacyRoutes sends acme.kinde.com and legacy.example.com to their taps.
func legacyRoutes(kinde, legacy *emulatortest.Server) []emulator.Route {
	return []emulator.Route{kinde.Route(kindeHost), legacy.Route(legacyHost)}
}
