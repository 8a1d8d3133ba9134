package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
)

// M2M credentials createKindeAPI reads; filled in for the local Kinde peer
// when the env file does not set them.
const (
	m2mClientIDVar     = "KINDE_WF_M2M_CLIENT_ID"
	m2mClientSecretVar = "KINDE_WF_M2M_CLIENT_SECRET"
)

// kindePeer is the Management API peer started for one run.
type kindePeer struct {
	server *kindeapi.Server
	domain string
}

// startKindePeer starts the loopback Kinde peer for the event's
// context.domains.kindeDomain unless a route already serves that host, and
// returns the route to it. It fills in the M2M credentials the peer accepts
// when env lacks them (marking the secret as one).
func startKindePeer(event []byte, routes []emulator.Route, env map[string]string, secretKeys []string) (*kindePeer, []emulator.Route, []string, error) {
	var shape struct {
		Context struct {
			Domains struct {
				KindeDomain string `json:"kindeDomain"`
			} `json:"domains"`
		} `json:"context"`
	}
	if err := json.Unmarshal(event, &shape); err != nil {
		return nil, routes, secretKeys, nil // the run reports the malformed event
	}
	domain := shape.Context.Domains.KindeDomain
	parsed, err := url.Parse(domain)
	if domain == "" || err != nil || parsed.Hostname() == "" {
		return nil, routes, secretKeys, nil
	}
	for _, route := range routes {
		if route.Matches(parsed.Hostname()) {
			return nil, routes, secretKeys, nil
		}
	}
	server, err := kindeapi.New(kindeapi.Config{PublicURL: domain})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("cannot start the Kinde peer: %w", err)
	}
	if _, ok := env[m2mClientIDVar]; !ok {
		env[m2mClientIDVar] = kindeapi.DefaultClientID
	}
	if _, ok := env[m2mClientSecretVar]; !ok {
		env[m2mClientSecretVar] = kindeapi.DefaultClientSecret.Reveal()
		secretKeys = append(secretKeys, m2mClientSecretVar)
	}
	routes = append(routes, emulator.Route{Host: parsed.Hostname(), Target: server.URL})
	return &kindePeer{server: server, domain: domain}, routes, secretKeys, nil
}

// report prints what the peer holds after the run and any spec violation
// the workflow's requests caused; nothing when the workflow never called it.
func (p *kindePeer) report(w io.Writer) {
	if len(p.server.Requests()) == 0 {
		return
	}
	users := p.server.Users()
	fmt.Fprintf(w, "Kinde peer for %s: %d user(s)\n", p.domain, len(users))
	for _, user := range users {
		password := "no password"
		if user.Password != nil {
			password = "password set (" + user.Password.HashingMethod + ")"
		}
		emails := ""
		for _, identity := range user.Identities {
			emails += " " + identity.Value
		}
		fmt.Fprintf(w, "  %s%s: %s\n", user.ID, emails, password)
	}
	for _, violation := range p.server.Violations() {
		fmt.Fprintf(w, "  spec violation: %s\n", violation)
	}
}
