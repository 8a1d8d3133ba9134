// Command drip-feed-demo shows the Rust drip-feed migration at work: it
// starts the Kinde Management API peer and the generic legacy endpoint on
// loopback, then runs three sign-ins of the built workflow
// (kindeSrc/environment/workflows/dripFeedMigration) in the emulator:
//
//  1. the first sign-in of a legacy user migrates them (the calls are shown);
//  2. their next sign-in, now that Kinde has the password, makes no call;
//  3. a wrong password is refused with the generic message.
//
// It prints each run record and exits 1 if a sign-in did not behave so.
//
//	go run ./cmd/drip-feed-demo --project ..   (or scripts/demo)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"kindewasm/emulator"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// workflowID is the drip-feed workflow's id.
const workflowID = "dripFeedMigration"

// The demo's Kinde business, M2M application and legacy user.
const (
	kindeHost    = "acme.kinde.com"
	legacyHost   = "legacy.example.com"
	m2mClientID  = "demo-m2m-client"
	m2mSecret    = "demo-m2m-client-secret"
	userEmail    = "ada@example.com"
	userPassword = "Legacy-Pass-1"
	// userHash stands for the bcrypt hash Kinde computes from the password.
	userHash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
)

func main() {
	project := flag.String("project", "..", "directory of the Kinde project (kinde.json and kindeSrc)")
	profileName := flag.String("profile", emulator.Profile{}.Name(), "kinde.fetch profile")
	flag.Parse()
	profile, err := emulator.ParseProfile(*profileName)
	if err == nil {
		err = demo(os.Stdout, *project, profile)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "drip-feed-demo:", err)
		os.Exit(1)
	}
}

// demo runs the three sign-ins and reports the first that misbehaves.
func demo(out io.Writer, projectDir string, profile emulator.Profile) error {
	project, err := emulator.Load(projectDir)
	if err != nil {
		return err
	}
	if _, ok := project.Workflow(workflowID); !ok {
		return fmt.Errorf("%s has no workflow %q: run scripts/build (cargo kinde build)", projectDir, workflowID)
	}
	kinde, err := kindeapi.New(kindeapi.Config{
		PublicURL: "https://" + kindeHost, ClientID: m2mClientID, ClientSecret: kindeapi.NewSecret(m2mSecret),
	})
	if err != nil {
		return err
	}
	defer kinde.Close()
	legacy, err := legacyapi.New(legacyapi.Config{Users: []legacyapi.User{
		{Email: userEmail, Password: userPassword, GivenName: "Ada", FamilyName: "Lovelace"},
	}})
	if err != nil {
		return err
	}
	defer legacy.Close()

	s := session{out: out, project: project, kinde: kinde, opts: emulator.Options{
		Profile:    profile,
		SecretKeys: []string{"KINDE_WF_M2M_CLIENT_SECRET"},
		Routes:     []emulator.Route{{Host: kindeHost, Target: kinde.URL}, {Host: legacyHost, Target: legacy.URL}},
	}}
	fmt.Fprintf(out, "Kinde Management API peer: %s (as https://%s)\nlegacy endpoint peer:      %s (as https://%s%s)\n",
		kinde.URL, kindeHost, legacy.URL, legacyHost, legacy.Path())
	steps := []func() error{s.firstSignIn, s.secondSignIn, s.wrongPassword}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if violations := kinde.Violations(); len(violations) > 0 {
		return fmt.Errorf("the Kinde peer saw %d spec violations, the first: %s", len(violations), violations[0])
	}
	if violations := legacy.Violations(); len(violations) > 0 {
		return fmt.Errorf("the legacy endpoint saw %d contract violations, the first: %s", len(violations), violations[0])
	}
	fmt.Fprintln(out, "\nAll three sign-ins behaved as expected.")
	return nil
}

// session is the demo's shared state.
type session struct {
	out     io.Writer
	project *emulator.Project
	kinde   *kindeapi.Server
	opts    emulator.Options
}

func (s session) firstSignIn() error {
	rec, err := s.signIn("1. First sign-in: the user is not in Kinde yet; the legacy endpoint checks the password", userPassword, false)
	if err != nil {
		return err
	}
	var outcome struct{ Outcome string }
	if !rec.Resolved() || rec.DecodeValue(&outcome) != nil || outcome.Outcome != "migrated" {
		return errors.New("the first sign-in did not migrate the user")
	}
	fmt.Fprintln(s.out, "\n   Kinde Management API received:")
	for _, e := range s.kinde.Requests() {
		fmt.Fprintf(s.out, "     %-40s -> %d %s\n", e.Route, e.Status, e.RequestBody)
	}
	users := s.kinde.UsersByEmail(userEmail)
	if len(users) != 1 || users[0].Password == nil || users[0].Password.Hash.Reveal() != userHash {
		return errors.New("Kinde does not hold exactly one user with the event's password hash")
	}
	fmt.Fprintf(s.out, "   Kinde now has user %s (%s %s) with the sign-in's bcrypt hash as password.\n",
		users[0].ID, users[0].GivenName, users[0].FamilyName)
	return nil
}

func (s session) secondSignIn() error {
	before := len(s.kinde.Requests())
	rec, err := s.signIn("2. Next sign-in: Kinde has the password now (hasUserRecordInKinde: true)", userPassword, true)
	if err != nil {
		return err
	}
	if !rec.Resolved() || len(rec.Requests) != 0 || len(s.kinde.Requests()) != before {
		return errors.New("the second sign-in made calls")
	}
	fmt.Fprintln(s.out, "   No request was made.")
	return nil
}

func (s session) wrongPassword() error {
	rec, err := s.signIn("3. A wrong password for a user not yet migrated", "Not-The-Password-9", false)
	if err != nil {
		return err
	}
	fields := rec.ActionsOf("widget.invalidateFormField")
	if !rec.Resolved() || len(fields) != 1 {
		return errors.New("the wrong password was not refused on the password field")
	}
	fmt.Fprintf(s.out, "   The sign-in form shows on the password field: %s\n", fields[0].Args)
	return nil
}

// signIn runs one sign-in and prints its record.
func (s session) signIn(title, password string, inKinde bool) (*emulator.RunRecord, error) {
	fmt.Fprintf(s.out, "\n%s\n\n", title)
	event, err := json.Marshal(map[string]any{
		"request": map[string]any{"ip": "203.0.113.7", "userAgent": "drip-feed-demo"},
		"context": map[string]any{
			"domains": map[string]any{"kindeDomain": "https://" + kindeHost},
			"auth": map[string]any{
				"providedEmail": userEmail, "password": password, "hashedPassword": userHash,
				"hasUserRecordInKinde": inKinde,
			},
			"workflow": map[string]any{"trigger": "user:existing_password_provided"},
		},
	})
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"LEGACY_PROVIDER":            "generic",
		"LEGACY_VALIDATION_URL":      "https://" + legacyHost + legacyapi.DefaultPath,
		"KINDE_WF_M2M_CLIENT_ID":     m2mClientID,
		"KINDE_WF_M2M_CLIENT_SECRET": m2mSecret,
	}
	opts := s.opts
	opts.Redact = []string{password, userHash}
	rec, err := s.project.Run(context.Background(), workflowID, event, env, opts)
	if err != nil {
		return nil, err
	}
	if err := emulator.FormatRecord(&indent{w: s.out}, rec.WithoutTimings()); err != nil {
		return nil, err
	}
	return rec, nil
}

// indent writes through to w with every line indented by three spaces.
type indent struct {
	w       io.Writer
	midLine bool
}

func (i *indent) Write(p []byte) (int, error) {
	var buf []byte
	for _, b := range p {
		if !i.midLine {
			buf = append(buf, "   "...)
		}
		buf = append(buf, b)
		i.midLine = b != '\n'
	}
	if _, err := i.w.Write(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}
