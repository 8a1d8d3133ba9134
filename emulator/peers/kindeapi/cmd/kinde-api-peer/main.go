// Command kinde-api-peer runs the Kinde Management API peer for manual
// runs: it prints its base URL on the first line of stdout, logs every
// exchange (secrets redacted) to stderr and runs until interrupted. On
// exit it lists the contract violations it saw and exits 1 if there were
// any.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"kindewasm/emulator/peers/kindeapi"
)

// secretEnv names the environment variable that overrides the client
// secret, so it need not appear in the process list.
const secretEnv = "KINDE_API_PEER_CLIENT_SECRET"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "kinde-api-peer:", err)
		return 2
	}
	var logMu sync.Mutex
	cfg.OnExchange = func(e kindeapi.Exchange) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintln(stderr, e)
	}
	server, err := kindeapi.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "kinde-api-peer:", err)
		return 1
	}
	fmt.Fprintln(stdout, server.URL)
	fmt.Fprintf(stderr, "kinde-api-peer: serving %s (client id %s, audience %s)\n", server.URL, cfg.ClientID, server.Audience())
	<-ctx.Done()
	server.Close()

	violations := server.Violations()
	for _, v := range violations {
		fmt.Fprintln(stderr, "kinde-api-peer:", v)
	}
	if len(violations) > 0 {
		fmt.Fprintf(stderr, "kinde-api-peer: %d contract violation(s)\n", len(violations))
		return 1
	}
	return 0
}

// parseFlags reads the command line into a Config.
func parseFlags(args []string, stderr io.Writer) (kindeapi.Config, error) {
	flags := flag.NewFlagSet("kinde-api-peer", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", kindeapi.DefaultAddr, "listen address")
	publicURL := flags.String("public-url", "", "base URL clients know the peer by, e.g. https://acme.kinde.com (default: the listen URL)")
	clientID := flags.String("client-id", kindeapi.DefaultClientID, "M2M client id the token endpoint accepts")
	clientSecret := flags.String("client-secret", "", "M2M client secret (default: $"+secretEnv+", else the package default)")
	duplicate := flags.String("duplicate-email", "allow", "what creating a user with a known e-mail does: allow, reject or skip-identity")
	scopes := flags.String("scopes", strings.Join(kindeapi.DefaultScopes, " "), "space-separated scopes granted to the client")
	allowUnknown := flags.Bool("allow-unknown-fields", false, "accept body fields the spec does not name (default: report them)")
	if err := flags.Parse(args); err != nil {
		return kindeapi.Config{}, err
	}
	if flags.NArg() > 0 {
		return kindeapi.Config{}, fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	policy, err := kindeapi.ParseDuplicateEmailPolicy(*duplicate)
	if err != nil {
		return kindeapi.Config{}, err
	}
	secret := *clientSecret
	if secret == "" {
		secret = os.Getenv(secretEnv)
	}
	return kindeapi.Config{
		Addr:               *addr,
		PublicURL:          *publicURL,
		ClientID:           *clientID,
		ClientSecret:       kindeapi.NewSecret(secret),
		Scopes:             strings.Fields(*scopes),
		DuplicateEmail:     policy,
		AllowUnknownFields: *allowUnknown,
	}, nil
}
