package bench

import (
	"path/filepath"
	"strings"
	"testing"
)

// The floor's parts are edits of the built shim: these tests prove each one
// stops where its name says, on the repository's kindeSrc.

// loadParts loads every variant of the built drip-feed.
func loadParts(t *testing.T) []*target {
	t.Helper()
	base := &target{lang: rust, dir: filepath.Join("..", ".."), id: RustWorkflow}
	var loaded []*target
	for _, v := range floorParts {
		tg, err := loadVariant(base, v, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		loaded = append(loaded, tg)
	}
	return loaded
}

// wrongTypeEvent is a sign-in of a user already in Kinde whose email is a
// number: the short circuit answers without reading it, the Rust module
// rejects it.
func wrongTypeEvent() []byte {
	return []byte(strings.Replace(string(signInEvent(benchEmail, "pw", true)), `"providedEmail":"`+benchEmail+`"`, `"providedEmail":5`, 1))
}

func TestFloorPartsResolveTheEarlyReturn(t *testing.T) {
	env := (&provider{name: "generic"}).workflowEnv()
	for i, tg := range loadParts(t) {
		rec := runEvent(t, tg, signInEvent(benchEmail, "pw", true), env)
		var value struct {
			Outcome string `json:"outcome"`
		}
		if err := rec.DecodeValue(&value); err != nil || value.Outcome != outcomeEarlyReturn {
			t.Errorf("%s: %s, want outcome %q", floorParts[i].label, outcomeOf(rec), outcomeEarlyReturn)
		}
	}
}

func TestWithoutTheShortCircuitTheEventReachesRust(t *testing.T) {
	env := (&provider{name: "generic"}).workflowEnv()
	targets, err := loadTargets(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if rec := runEvent(t, targets[rust], wrongTypeEvent(), env); !rec.Resolved() {
		t.Fatalf("the built shim should answer before reading the email: %s", outcomeOf(rec))
	}
	parts := loadParts(t)
	rec := runEvent(t, parts[0], wrongTypeEvent(), env)
	if rec.Resolved() || !strings.Contains(rec.Outcome.Error, "providedEmail") {
		t.Errorf("%s: %s, want the Rust module's error naming providedEmail", floorParts[0].label, outcomeOf(rec))
	}
	// Returning right after createRustModule, the instantiation-only part never
	// hands the event to Rust.
	if rec := runEvent(t, parts[1], wrongTypeEvent(), env); !rec.Resolved() {
		t.Errorf("%s: %s, want it to resolve without reading the event", floorParts[1].label, outcomeOf(rec))
	}
}

func TestFloorPartsRefuseAShimTheyDoNotRecognise(t *testing.T) {
	for _, v := range floorParts {
		if _, err := v.edit("export default async function Workflow(event) {}\n"); err == nil {
			t.Errorf("%s: edited a shim with no short circuit", v.label)
		}
	}
	once := "  if (valueAt(event, [\"a\"]) === true) return {};\n"
	if _, err := floorParts[1].edit(once); err == nil || !strings.Contains(err.Error(), "createRustModule") {
		t.Errorf("instantiation-only edit without a createRustModule line: %v", err)
	}
}
