package emulator

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"kindewasm/emulator/internal/kinderuntime"
)

func TestFormatLogArgs(t *testing.T) {
	tests := []struct {
		name string
		args []any
		want string
	}{
		{"strings joined by spaces", []any{"a", "b c"}, "a b c"},
		{"numbers and booleans", []any{"n", int64(3), 1.5, true}, "n 3 1.5 true"},
		{"objects as JSON", []any{map[string]any{"k": []any{int64(1), "x"}}}, `{"k":[1,"x"]}`},
		{"undefined and null", []any{nil}, "null"},
		{"not JSON-encodable", []any{math.NaN()}, "NaN"},
		{"functions", []any{"f", func(...any) (any, error) { return nil, nil }}, "f [Function]"},
		{"no arguments", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatLogArgs(tt.args); got != tt.want {
				t.Errorf("formatLogArgs(%v) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestUnsupportedBindings(t *testing.T) {
	declared := map[string]kinderuntime.BindingSettings{
		"console": {}, "url": {}, "util": {}, "module": {},
		"kinde": {}, "kinde.fetch": {}, "kinde.env": {}, "kinde.env.get": {},
		"kinde.secureFetch": {}, "kinde.widget": {}, "kinde.env.set": {}, "crypto": {},
	}
	want := []string{"crypto", "kinde.env.set", "kinde.secureFetch", "kinde.widget"}
	project := &Project{runtime: newRuntime()}
	if got := project.unsupportedBindings(declared); !reflect.DeepEqual(got, want) {
		t.Errorf("unsupportedBindings = %v, want %v", got, want)
	}
}

func TestEncodeBody(t *testing.T) {
	tests := []struct {
		name        string
		body        any
		wantBody    string
		wantType    string
		wantFailure bool
	}{
		{"absent", nil, "", "", false},
		{"string kept as is", `{"a":1}`, `{"a":1}`, "", false},
		{"object as JSON", map[string]any{"a": int64(1)}, `{"a":1}`, "application/json", false},
		{"array as JSON", []any{"x"}, `["x"]`, "application/json", false},
		{"number refused", 3.0, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, contentType, err := encodeBody(tt.body)
			if (err != nil) != tt.wantFailure {
				t.Fatalf("err = %v, want failure %v", err, tt.wantFailure)
			}
			if body != tt.wantBody || contentType != tt.wantType {
				t.Errorf("encodeBody = %q, %q; want %q, %q", body, contentType, tt.wantBody, tt.wantType)
			}
		})
	}
}

func TestEnvBinding(t *testing.T) {
	run := newRunState(map[string]string{"A": "1", "S": "s"}, Options{SecretKeys: []string{"S"}}, time.Now())
	cases := map[string]map[string]any{
		"A":       {"value": "1", "isSecret": false},
		"S":       {"value": "s", "isSecret": true},
		"MISSING": {"value": nil, "isSecret": false},
	}
	for key, want := range cases {
		got, err := envBinding(context.Background(), run, []any{key})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("env.get(%q) = %v, %v; want %v", key, got, err, want)
		}
	}
}
