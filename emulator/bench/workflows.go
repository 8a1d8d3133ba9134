package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"

	"kindewasm/emulator"
)

// Workflow ids and where their projects live in the repository.
const (
	RustWorkflow      = "dripFeedMigration"
	ReferenceWorkflow = "dripFeedReference"
	referenceDir      = "reference"
)

// Expected outcomes of the benchmarked sign-ins.
const (
	outcomeEarlyReturn = "already_in_kinde"
	outcomeRejected    = "rejected"
	outcomeMigrated    = "migrated"
)

// language indexes the two sides of every comparison.
type language int

const (
	rust language = iota
	typeScript
)

// target is a workflow of one language, loaded and ready to run.
type target struct {
	lang    language
	dir     string
	project *emulator.Project
	id      string
}

// loadTargets loads the repository's kindeSrc (the Rust workflow, built by
// `cargo kinde build`) and the reference project.
func loadTargets(repo string) ([2]*target, error) {
	return loadPair(
		&target{lang: rust, dir: repo, id: RustWorkflow},
		&target{lang: typeScript, dir: filepath.Join(repo, referenceDir), id: ReferenceWorkflow},
		"cargo kinde build -p drip-feed",
	)
}

// loadPair loads the projects of a Rust workflow and its TypeScript twin;
// build is the command that builds the Rust one, named when it is missing.
func loadPair(rustTarget, tsTarget *target, build string) ([2]*target, error) {
	for _, t := range []*target{rustTarget, tsTarget} {
		project, err := emulator.Load(t.dir)
		if err != nil {
			return [2]*target{}, err
		}
		if _, ok := project.Workflow(t.id); !ok {
			return [2]*target{}, fmt.Errorf("%s has no workflow %q (for the Rust one, run `%s`)", t.dir, t.id, build)
		}
		t.project = project
	}
	return [2]*target{rustTarget, tsTarget}, nil
}

// bundle is the workflow's bundle as Kinde builds it.
func (t *target) bundle() []byte {
	wf, _ := t.project.Workflow(t.id)
	return wf.Bundle
}

// run executes one sign-in and checks that it resolved with want.
func (t *target) run(ctx context.Context, event []byte, env map[string]string, opts emulator.Options, want string) (*emulator.RunRecord, error) {
	rec, err := t.project.Run(ctx, t.id, event, env, opts)
	if err != nil {
		return nil, err
	}
	if !rec.Resolved() {
		return nil, fmt.Errorf("%s %s: %s instead of resolving with %q: %s", t.lang, t.id, rec.Outcome.Status, want, rec.Outcome.Error)
	}
	var value struct {
		Outcome string `json:"outcome"`
	}
	if err := rec.DecodeValue(&value); err != nil || value.Outcome != want {
		return nil, fmt.Errorf("%s %s resolved with %s, want outcome %q", t.lang, t.id, rec.Outcome.Value, want)
	}
	return rec, nil
}

// String names the language.
func (l language) String() string {
	if l == rust {
		return "Rust"
	}
	return "TypeScript"
}

// signInEvent is a user:existing_password_provided event as Kinde sends it.
func signInEvent(email, password string, inKinde bool) []byte {
	hash := sha256.Sum256([]byte("bench-hash:" + email))
	event, err := json.Marshal(map[string]any{
		"request": map[string]any{"ip": endUserIP, "userAgent": "Mozilla/5.0 (kinde-bench)"},
		"context": map[string]any{
			"domains": map[string]any{"kindeDomain": kindeDomain},
			"auth": map[string]any{
				"providedEmail":        email,
				"password":             password,
				"hashedPassword":       "$2a$10$" + hex.EncodeToString(hash[:])[:53],
				"hasUserRecordInKinde": inKinde,
			},
			"workflow":    map[string]any{"trigger": "user:existing_password_provided"},
			"application": map[string]any{"clientId": "kinde-bench"},
		},
	})
	if err != nil {
		panic(err) // a map of strings and bools always encodes
	}
	return event
}
