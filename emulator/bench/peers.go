package bench

import (
	"errors"
	"fmt"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/auth0"
	"kindewasm/emulator/peers/azureb2c"
	"kindewasm/emulator/peers/cognito"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// The Kinde business the events come from, and its M2M application.
const (
	kindeHost   = "acme.kinde.com"
	kindeDomain = "https://" + kindeHost
	m2mClientID = "bench-m2m-client"
	m2mSecret   = "bench-m2m-client-secret"
	endUserIP   = "203.0.113.7"
)

// Providers lists the legacy providers in report order (LEGACY_PROVIDER values).
var Providers = []string{"generic", "auth0", "cognito", "azure_b2c"}

// The account every provider knows, and a password that is not its own.
const (
	benchEmail     = "ada@example.com"
	wrongPassword  = "Bench-Wrong-Pass-9"
	genericPass    = "Bench-Generic-Pass-1"
	auth0Pass      = "Bench-Auth0-Pass-1"
	b2cPass        = "Bench-B2c-Pass-1"
	auth0Domain    = "legacy-tenant.eu.auth0.com"
	auth0Client    = "bench-auth0-client"
	auth0Secret    = "bench-auth0-client-secret"
	auth0Realm     = "Username-Password-Authentication"
	b2cTenant      = "contoso"
	b2cPolicy      = "B2C_1_ropc"
	b2cClient      = "bench-b2c-application"
	noLockoutLimit = 1 << 30
)

// provider is one running legacy identity provider as the workflows see it.
type provider struct {
	name     string
	email    string
	password string
	env      map[string]string
	routes   []emulator.Route
	close    func()
}

// startProvider starts the loopback peer of a provider, with brute-force
// protection out of reach (the benchmark repeats wrong passwords).
func startProvider(name string) (*provider, error) {
	switch name {
	case "generic":
		peer, err := legacyapi.New(legacyapi.Config{Users: []legacyapi.User{
			{Email: benchEmail, Password: genericPass, GivenName: "Ada", FamilyName: "Lovelace"},
		}})
		if err != nil {
			return nil, err
		}
		return &provider{
			name: name, email: benchEmail, password: genericPass,
			env:    map[string]string{"LEGACY_VALIDATION_URL": "https://legacy.example.com" + legacyapi.DefaultPath},
			routes: []emulator.Route{{Host: "legacy.example.com", Target: peer.URL}},
			close:  func() { _ = peer.Close() },
		}, nil
	case "auth0":
		peer, err := auth0.New(auth0.Config{
			Domain:            auth0Domain,
			Clients:           []auth0.Client{{ID: auth0Client, Secret: auth0Secret}},
			Connections:       []auth0.Connection{{Name: auth0Realm, Users: []auth0.User{{Email: benchEmail, Password: auth0Pass, GivenName: "Ada", FamilyName: "Lovelace", EmailVerified: true}}}},
			DefaultConnection: auth0Realm,
			BruteForceLimit:   noLockoutLimit,
		})
		if err != nil {
			return nil, err
		}
		return &provider{
			name: name, email: benchEmail, password: auth0Pass,
			env:    map[string]string{"AUTH0_DOMAIN": auth0Domain, "AUTH0_CLIENT_ID": auth0Client, "AUTH0_CLIENT_SECRET": auth0Secret},
			routes: []emulator.Route{{Host: "*.auth0.com", Target: peer.URL}},
			close:  func() { _ = peer.Close() },
		}, nil
	case "cognito":
		peer, err := cognito.New(cognito.Config{})
		if err != nil {
			if errors.Is(err, cognito.ErrMotoMissing) {
				return nil, fmt.Errorf("%w (the Cognito rows need moto: run %s)", err, cognito.InstallCommand)
			}
			return nil, err
		}
		// AdminInitiateAuth signed with SigV4, by the app client with a
		// secret (SECRET_HASH): the most hashing a Cognito check does.
		return &provider{
			name: name, email: cognito.ConfirmedUsername, password: cognito.ConfirmedPassword,
			env: map[string]string{
				"AWS_REGION": peer.Region, "COGNITO_CLIENT_ID": peer.SecretClientID, "COGNITO_CLIENT_SECRET": peer.ClientSecret,
				"COGNITO_USER_POOL_ID": peer.UserPoolID, "AWS_ACCESS_KEY_ID": peer.AccessKeyID, "AWS_SECRET_ACCESS_KEY": peer.SecretAccessKey,
			},
			routes: []emulator.Route{{Host: "cognito-idp.*.amazonaws.com", Target: peer.URL}},
			close:  func() { _ = peer.Close() },
		}, nil
	case "azure_b2c":
		peer, err := azureb2c.New(azureb2c.Config{
			Tenant:           b2cTenant,
			Policies:         []string{b2cPolicy},
			Applications:     []azureb2c.Application{{ID: b2cClient}},
			Users:            []azureb2c.User{{SignInName: benchEmail, Password: b2cPass, Email: benchEmail, GivenName: "Ada", FamilyName: "Lovelace"}},
			LockoutThreshold: noLockoutLimit,
		})
		if err != nil {
			return nil, err
		}
		return &provider{
			name: name, email: benchEmail, password: b2cPass,
			env:    map[string]string{"AZURE_B2C_TENANT": b2cTenant, "AZURE_B2C_ROPC_POLICY": b2cPolicy, "AZURE_B2C_CLIENT_ID": b2cClient},
			routes: []emulator.Route{{Host: "*.b2clogin.com", Target: peer.URL}},
			close:  func() { _ = peer.Close() },
		}, nil
	default:
		return nil, fmt.Errorf("unknown provider %q (want one of %v)", name, Providers)
	}
}

// workflowEnv is the whole kinde.env of a run against p.
func (p *provider) workflowEnv() map[string]string {
	env := map[string]string{
		"LEGACY_PROVIDER":            p.name,
		"KINDE_WF_M2M_CLIENT_ID":     m2mClientID,
		"KINDE_WF_M2M_CLIENT_SECRET": m2mSecret,
	}
	for k, v := range p.env {
		env[k] = v
	}
	return env
}

// startKinde starts a Management API peer for acme.kinde.com with no users.
// Peers of one process sign with the same key, so a token cached from one
// peer is valid at the next: each migration gets an empty Kinde and a warm
// token cache, as a sign-in in production does.
func startKinde() (*kindeapi.Server, error) {
	return kindeapi.New(kindeapi.Config{
		PublicURL:    kindeDomain,
		ClientID:     m2mClientID,
		ClientSecret: kindeapi.NewSecret(m2mSecret),
	})
}
