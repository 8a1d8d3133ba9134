package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
)

const peerEvent = `{"context":{"domains":{"kindeDomain":"https://acme.kinde.com"}}}`

func TestKindePeerServesTheEventsDomain(t *testing.T) {
	env := map[string]string{}
	peer, routes, secrets, err := startKindePeer([]byte(peerEvent), nil, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if peer == nil {
		t.Fatal("no peer started for an event with a kindeDomain")
	}
	defer peer.server.Close()

	if len(routes) != 1 || routes[0].Host != "acme.kinde.com" || routes[0].Target != peer.server.URL {
		t.Fatalf("routes = %v, want acme.kinde.com -> %s", routes, peer.server.URL)
	}
	if env[m2mClientIDVar] != kindeapi.DefaultClientID || env[m2mClientSecretVar] != kindeapi.DefaultClientSecret.Reveal() {
		t.Fatalf("M2M credentials not filled in: %v", env)
	}
	if len(secrets) != 1 || secrets[0] != m2mClientSecretVar {
		t.Fatalf("secret keys = %v, want the M2M secret", secrets)
	}
	var report bytes.Buffer
	peer.report(&report)
	if report.Len() != 0 {
		t.Fatalf("a peer nobody called reported %q", report.String())
	}
	// It answers over loopback (its JWKS is served), and once called it
	// reports what it holds.
	resp, err := http.Get(peer.server.URL + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("JWKS answered %d", resp.StatusCode)
	}
	peer.report(&report)
	if !strings.Contains(report.String(), "Kinde peer for https://acme.kinde.com: 0 user(s)") {
		t.Fatalf("report = %q", report.String())
	}
}

func TestKindePeerKeepsGivenCredentialsAndRoutes(t *testing.T) {
	env := map[string]string{m2mClientIDVar: "mine", m2mClientSecretVar: "my-secret"}
	peer, _, secrets, err := startKindePeer([]byte(peerEvent), nil, env, []string{m2mClientSecretVar})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.server.Close()
	if env[m2mClientIDVar] != "mine" || env[m2mClientSecretVar] != "my-secret" || len(secrets) != 1 {
		t.Fatalf("given credentials changed: %v %v", env, secrets)
	}

	routed := []emulator.Route{{Host: "*.kinde.com", Target: "http://127.0.0.1:1"}}
	peer, routes, _, err := startKindePeer([]byte(peerEvent), routed, map[string]string{}, nil)
	if err != nil || peer != nil || len(routes) != 1 {
		t.Fatalf("a route covering the domain must win: peer=%v routes=%v err=%v", peer, routes, err)
	}
}

func TestNoKindePeerWithoutADomain(t *testing.T) {
	for _, event := range []string{`{}`, `{"context":{"domains":{"kindeDomain":""}}}`, `not json`} {
		peer, _, _, err := startKindePeer([]byte(event), nil, map[string]string{}, nil)
		if err != nil || peer != nil {
			t.Fatalf("event %s: peer=%v err=%v", event, peer, err)
		}
	}
}
