// Command kinde-emulator bundles and runs Kinde workflows locally the way
// Kinde's workflow runtime does (see the emulator package).
//
// Usage:
//
//	kinde-emulator run --project DIR --workflow ID --event FILE [--env FILE]
//	    [--profile NAME] [--route PATTERN=URL]... [--secure-fetch-key B64]
//	    [--timeout 5s] [--json] [--no-timings] [--kinde-peer=false]
//	kinde-emulator list --project DIR
//
// run prints the run record (readable, or JSON with --json) and exits 0
// when the workflow resolved, 1 when it rejected (or timed out), 2 on
// usage or loading errors. list prints the discovered workflows as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"kindewasm/emulator"
)

// Exit codes.
const (
	exitResolved = 0
	exitRejected = 1
	exitUsage    = 2
)

const usage = `usage:
  kinde-emulator run --project DIR --workflow ID --event FILE [--env FILE]
      [--profile NAME] [--route PATTERN=URL]... [--secure-fetch-key B64]
      [--timeout 5s] [--json] [--no-timings] [--kinde-peer=false]
  kinde-emulator list --project DIR

--env FILE: a JSON object of strings, or KEY=VALUE lines (# comments);
  a key written as secret:KEY marks KEY as a secret (masked in the record).
--profile: minimal-return (default), minimal-throw, full-return, full-throw.
--kinde-peer (default on): the event's context.domains.kindeDomain is served by
  a local Management API peer (validated against Kinde's OpenAPI spec) unless a
  --route covers its host; KINDE_WF_M2M_CLIENT_ID/SECRET default to the peer's.
  What the peer holds afterwards is printed on stderr.`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError is a problem with the command line or its inputs.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run executes the CLI and returns its exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	var (
		code int
		err  error
	)
	switch args[0] {
	case "run":
		code, err = runCommand(ctx, args[1:], stdin, stdout, stderr)
	case "list":
		code, err = listCommand(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return exitResolved
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kinde-emulator: %s\n", oneLine(err))
		return exitUsage
	}
	return code
}

// routeFlags collects repeated --route PATTERN=URL flags.
type routeFlags []emulator.Route

func (r *routeFlags) String() string { return fmt.Sprint(*r) }

func (r *routeFlags) Set(value string) error {
	route, err := emulator.ParseRoute(value)
	if err != nil {
		return err
	}
	*r = append(*r, route)
	return nil
}

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("run")
	project := fs.String("project", "", "project directory (holding kinde.json)")
	workflowID := fs.String("workflow", "", "workflow id (workflowSettings.id)")
	eventFile := fs.String("event", "", "event JSON file ('-' for stdin)")
	envFile := fs.String("env", "", "environment variables: JSON object or KEY=VALUE lines; secret:KEY marks a secret")
	profileName := fs.String("profile", emulator.Profile{}.Name(), "fetch profile")
	var routes routeFlags
	fs.Var(&routes, "route", "send a production host pattern to a loopback URL (repeatable)")
	secureFetchKey := fs.String("secure-fetch-key", "", "Base64 AES-256 key for kinde.secureFetch (default: generated)")
	timeout := fs.Duration("timeout", emulator.DefaultTimeout, "execution time limit")
	asJSON := fs.Bool("json", false, "print the run record as JSON")
	noTimings := fs.Bool("no-timings", false, "leave timings out, so that output compares equal between runs")
	withKindePeer := fs.Bool("kinde-peer", true, "serve the event's kindeDomain with a local Management API peer (unless a --route covers it)")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if *project == "" || *workflowID == "" || *eventFile == "" {
		return 0, usageError{"run needs --project, --workflow and --event"}
	}
	profile, err := emulator.ParseProfile(*profileName)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	event, err := readInput(*eventFile, stdin)
	if err != nil {
		return 0, err
	}
	env, secretKeys, err := readEnv(*envFile)
	if err != nil {
		return 0, err
	}
	if *withKindePeer {
		peer, peerRoutes, peerSecrets, err := startKindePeer(event, routes, env, secretKeys)
		if err != nil {
			return 0, err
		}
		if peer != nil {
			defer peer.server.Close()
			defer peer.report(stderr)
			routes, secretKeys = peerRoutes, peerSecrets
		}
	}
	opts := emulator.Options{
		Timeout:        *timeout,
		SecretKeys:     secretKeys,
		Profile:        profile,
		Routes:         routes,
		SecureFetchKey: *secureFetchKey,
	}
	rec, err := emulator.Run(ctx, *project, *workflowID, event, env, opts)
	if err != nil {
		return 0, err
	}
	if *noTimings {
		rec = rec.WithoutTimings()
	}
	if *asJSON {
		err = writeJSON(stdout, rec)
	} else {
		err = emulator.FormatRecord(stdout, rec)
	}
	if err != nil {
		return 0, err
	}
	if rec.Resolved() {
		return exitResolved, nil
	}
	return exitRejected, nil
}

// listedWorkflow is one line of the list command's output.
type listedWorkflow struct {
	ID       string                    `json:"id"`
	Trigger  string                    `json:"trigger"`
	Entry    string                    `json:"entry"`
	Bindings map[string]map[string]any `json:"bindings"`
}

func listCommand(args []string, stdout io.Writer) (int, error) {
	fs := newFlagSet("list")
	project := fs.String("project", "", "project directory (holding kinde.json)")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if *project == "" {
		return 0, usageError{"list needs --project"}
	}
	loaded, err := emulator.Load(*project)
	if err != nil {
		return 0, err
	}
	listed := make([]listedWorkflow, 0, len(loaded.Workflows))
	for _, wf := range loaded.Workflows {
		listed = append(listed, listedWorkflow{ID: wf.ID, Trigger: wf.Trigger, Entry: wf.Entry, Bindings: wf.Bindings})
	}
	return exitResolved, writeJSON(stdout, listed)
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// secretPrefix marks an env key as secret in an env file.
const secretPrefix = "secret:"

// readEnv reads an env file: a JSON object of strings, or KEY=VALUE lines
// (blank lines and lines starting with # are skipped). A key written as
// secret:KEY is returned as KEY and listed among the secret keys. No file
// means no variables.
func readEnv(name string) (map[string]string, []string, error) {
	env := map[string]string{}
	if name == "" {
		return env, nil, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	raw := map[string]string{}
	if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "{") {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, nil, fmt.Errorf("env file %s must be a JSON object of strings: %w", name, err)
		}
	} else if raw, err = parseEnvLines(name, string(data)); err != nil {
		return nil, nil, err
	}
	var secrets []string
	for key, value := range raw {
		if plain, ok := strings.CutPrefix(key, secretPrefix); ok {
			key = plain
			secrets = append(secrets, key)
		}
		if key == "" {
			return nil, nil, fmt.Errorf("env file %s: empty variable name", name)
		}
		if _, dup := env[key]; dup {
			return nil, nil, fmt.Errorf("env file %s: %s is set twice", name, key)
		}
		env[key] = value
	}
	sort.Strings(secrets)
	return env, secrets, nil
}

// parseEnvLines reads KEY=VALUE lines.
func parseEnvLines(name, text string) (map[string]string, error) {
	env := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("env file %s line %d: want KEY=VALUE", name, i+1)
		}
		key = strings.TrimSpace(key)
		if _, dup := env[key]; dup {
			return nil, fmt.Errorf("env file %s line %d: %s is set twice", name, i+1, key)
		}
		env[key] = value
	}
	return env, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// oneLine keeps error output to a single line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
