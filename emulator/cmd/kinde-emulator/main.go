// Command kinde-emulator bundles and runs Kinde workflows locally the way
// Kinde's workflow runtime does (see the emulator package).
//
// Usage:
//
//	kinde-emulator run --project DIR --workflow ID --event FILE [--env FILE] [--timeout 5s]
//	kinde-emulator list --project DIR
//
// run prints the run record as JSON and exits 0 when the workflow resolved,
// 1 when it rejected (or timed out), 2 on usage or bundling errors. list
// prints the discovered workflows as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
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
  kinde-emulator run --project DIR --workflow ID --event FILE [--env FILE] [--timeout 5s]
  kinde-emulator list --project DIR`

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
		code, err = runCommand(ctx, args[1:], stdin, stdout)
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

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) (int, error) {
	fs := newFlagSet("run")
	project := fs.String("project", "", "project directory (holding kinde.json)")
	workflowID := fs.String("workflow", "", "workflow id (workflowSettings.id)")
	eventFile := fs.String("event", "", "event JSON file ('-' for stdin)")
	envFile := fs.String("env", "", "JSON object of environment variables (string -> string)")
	timeout := fs.Duration("timeout", emulator.DefaultTimeout, "execution time limit")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if *project == "" || *workflowID == "" || *eventFile == "" {
		return 0, usageError{"run needs --project, --workflow and --event"}
	}
	event, err := readInput(*eventFile, stdin)
	if err != nil {
		return 0, err
	}
	env, err := readEnv(*envFile)
	if err != nil {
		return 0, err
	}
	rec, err := emulator.Run(ctx, *project, *workflowID, event, env, emulator.Options{Timeout: *timeout})
	if err != nil {
		return 0, err
	}
	if err := writeJSON(stdout, rec); err != nil {
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

// readEnv reads a JSON object of string values; no file means no variables.
func readEnv(name string) (map[string]string, error) {
	env := map[string]string{}
	if name == "" {
		return env, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("env file %s must be a JSON object of strings: %w", name, err)
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
