package e2e

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"kindewasm/emulator"
	"kindewasm/emulator/emulatortest"
	"kindewasm/emulator/peers/kindeapi"
	"kindewasm/emulator/peers/legacyapi"
)

// The workflow's secureFetch key in these tests, and another one.
var (
	secureFetchKey      = base64.StdEncoding.EncodeToString([]byte("e2e-secure-fetch-key-32-bytes-ok"))
	otherSecureFetchKey = base64.StdEncoding.EncodeToString([]byte("e2e-other-key-of-thirty-two-byte"))
)

// secureFetchBinEnv names a prebuilt kinde-secure-fetch binary.
const secureFetchBinEnv = "KINDE_SECURE_FETCH_BIN"

// TestRustSecureFetchIsDecryptedByGoAndRust sends the generic provider's
// request through kinde.secureFetch: the legacy peer decrypts it in Go
// (crypto/aes), and the captured body is decrypted again by the Rust
// `kinde-secure-fetch decrypt` CLI, which must print exactly the contract's
// JSON.
func TestRustSecureFetchIsDecryptedByGoAndRust(t *testing.T) {
	t.Parallel()
	bin := secureFetchBinary(t)
	forEachProfile(t, func(t *testing.T, profile emulator.Profile) {
		project := rustProject(t)
		collected.secret(t, "secureFetch key", secureFetchKey)
		provider, legacy := startGenericProvider(t, legacyapi.Config{SecureFetchKey: secureFetchKey})
		kinde := startKinde(t, kindeapi.Config{})
		opts := emulator.Options{
			Profile:        profile,
			Routes:         append([]emulator.Route{{Host: kindeHost, Target: kinde.URL}}, provider.routes...),
			SecureFetchKey: secureFetchKey,
		}
		env := withEnv(m2mEnv(), provider.env, map[string]string{"LEGACY_USE_SECURE_FETCH": "true"})

		rec := run(t, project, rustWorkflow, genericAda.event(t), env, opts, "secureFetch sign-in")

		user := requireMigrated(t, kinde, genericAda.email, "Ada", "Lovelace")
		requireOutcome(t, rec, `{"outcome":"migrated","user_id":"`+user.ID+`","created":true}`)
		if attempts := legacy.Attempts(); len(attempts) != 1 || !attempts[0].Encrypted || !attempts[0].PasswordMatched {
			t.Errorf("legacy attempts = %+v, want one decrypted, matching attempt", attempts)
		}
		if len(rec.Requests) == 0 || rec.Requests[0].Binding != "secureFetch" || !rec.Requests[0].Encrypted {
			t.Fatalf("the first request was not a secureFetch: %+v", rec.Requests)
		}
		calls := provider.tap.Requests()
		if len(calls) != 1 {
			t.Fatalf("the legacy endpoint got %d requests", len(calls))
		}
		plaintext := decryptWithRustCLI(t, bin, secureFetchKey, calls[0].Body)
		want := `{"email":"` + genericAda.email + `","password":"` + genericAda.password + `"}`
		if plaintext != want {
			t.Error("the Rust CLI's plaintext is not exactly the contract's JSON {email, password}")
		}
	})
}

// TestRustSecureFetchWithAnotherKeyIsRefused checks that a body sealed with
// a key the endpoint does not hold is refused (a violation of the peer) and
// the workflow asks the user to retry, without migrating.
func TestRustSecureFetchWithAnotherKeyIsRefused(t *testing.T) {
	t.Parallel()
	project := rustProject(t)
	legacy, err := legacyapi.New(legacyapi.Config{Users: genericUsers(), SecureFetchKey: otherSecureFetchKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = legacy.Close() })
	collectLegacy(t, legacy)
	collected.secret(t, "other secureFetch key", otherSecureFetchKey)
	kinde := startKinde(t, kindeapi.Config{})
	opts := emulator.Options{
		Routes:         []emulator.Route{{Host: kindeHost, Target: kinde.URL}, {Host: legacyHost, Target: legacy.URL}},
		SecureFetchKey: secureFetchKey,
	}
	env := withEnv(m2mEnv(), map[string]string{"LEGACY_PROVIDER": "generic", "LEGACY_VALIDATION_URL": legacyURL, "LEGACY_USE_SECURE_FETCH": "true"})

	rec := run(t, project, rustWorkflow, genericAda.event(t), env, opts, "secureFetch with another key")

	requireOutcome(t, rec, `{"outcome":"retry_later"}`)
	requireFieldMessages(t, rec, retryMessage)
	requireNotMigrated(t, kinde)
	want := []string{"secureFetch body: body does not open with the configured key (authentication failed)"}
	if got := legacy.Violations(); !equalStrings(got, want) {
		t.Errorf("legacy violations = %q, want %q", got, want)
	}
}

var secureFetchBin struct {
	once sync.Once
	path string
	err  error
}

// secureFetchBinary returns the kinde-secure-fetch CLI: $KINDE_SECURE_FETCH_BIN,
// or built once with cargo from the repository root.
func secureFetchBinary(t *testing.T) string {
	t.Helper()
	if path := os.Getenv(secureFetchBinEnv); path != "" {
		return path
	}
	root := emulatortest.RepoRoot(t)
	secureFetchBin.once.Do(func() {
		cmd := exec.Command("cargo", "build", "-q", "-p", "kinde-secure-fetch", "--bin", "kinde-secure-fetch")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			secureFetchBin.err = err
			secureFetchBin.path = string(out)
			return
		}
		secureFetchBin.path = filepath.Join(root, "target", "debug", "kinde-secure-fetch")
	})
	if secureFetchBin.err != nil {
		t.Fatalf("building kinde-secure-fetch (or set %s): %v\n%s", secureFetchBinEnv, secureFetchBin.err, secureFetchBin.path)
	}
	return secureFetchBin.path
}

// decryptWithRustCLI pipes body through `kinde-secure-fetch decrypt`, the
// key passed in an environment variable as the CLI requires.
func decryptWithRustCLI(t *testing.T, bin, key, body string) string {
	t.Helper()
	cmd := exec.Command(bin, "decrypt", "--key-env", "E2E_SECURE_FETCH_KEY")
	cmd.Env = append(os.Environ(), "E2E_SECURE_FETCH_KEY="+key)
	cmd.Stdin = bytes.NewBufferString(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("kinde-secure-fetch decrypt: %v: %s", err, stderr.String())
	}
	collected.text(t.Name()+": kinde-secure-fetch stderr", stderr.String())
	return stdout.String()
}
