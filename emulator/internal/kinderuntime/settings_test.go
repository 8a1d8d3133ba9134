package kinderuntime

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadSettings(t *testing.T) {
	tests := []struct {
		name         string
		source       string
		wantValues   map[string]any
		wantBindings map[string]BindingSettings
		wantErr      string
		wantDropped  bool
	}{
		{
			name:         "object with bindings",
			source:       `module.exports = {workflowSettings: {id: "a", bindings: {console: {}, "kinde.env": {k: [1]}}}, default: async () => 1};`,
			wantValues:   map[string]any{"id": "a", "bindings": map[string]any{"console": map[string]any{}, "kinde.env": map[string]any{"k": []any{1.0}}}},
			wantBindings: map[string]BindingSettings{"console": {}, "kinde.env": {"k": []any{1.0}}},
		},
		{
			name:       "no settings export",
			source:     `module.exports = {default: function () {}};`,
			wantValues: map[string]any{},
		},
		{
			name:       "require works at the top level",
			source:     `module.exports = {workflowSettings: {u: typeof require("url").URL}, default: () => 1};`,
			wantValues: map[string]any{"u": "function"},
		},
		{
			name:       "values are JSON round-tripped",
			source:     `module.exports = {workflowSettings: {d: new Date(0), u: undefined, nested: {n: 2}}, default: () => 1};`,
			wantValues: map[string]any{"d": "1970-01-01T00:00:00Z", "u": nil, "nested": map[string]any{"n": 2.0}},
		},
		{
			name:        "a function anywhere drops the settings",
			source:      `module.exports = {workflowSettings: {id: "a", bindings: {console: {}}, hook() {}}, default: () => 1};`,
			wantDropped: true,
		},
		{
			name:        "a binding that is not an object drops the settings",
			source:      `module.exports = {workflowSettings: {id: "a", bindings: {console: true}}, default: () => 1};`,
			wantDropped: true,
		},
		{
			name:    "no bindings at the top level",
			source:  `kinde.env.get("X"); module.exports = {default: () => 1};`,
			wantErr: "ReferenceError: kinde is not defined",
		},
		{
			name:    "missing default export",
			source:  `module.exports = {workflowSettings: {id: "a"}};`,
			wantErr: "no default export",
		},
		{
			name:    "default export is not a function",
			source:  `module.exports = {workflowSettings: {id: "a"}, default: {handle() {}}};`,
			wantErr: "no default function exported",
		},
		{
			name:    "settings that are not an object",
			source:  `module.exports = {workflowSettings: "a", default: () => 1};`,
			wantErr: "workflowSettings must be an object",
		},
		{
			name:    "syntax error",
			source:  `module.exports = {`,
			wantErr: "error parsing",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadSettings([]byte(tt.source))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want prefix %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantDropped {
				if got.Dropped == nil || got.Values != nil || got.Bindings != nil {
					t.Errorf("settings = %+v, want them dropped", got)
				}
				return
			}
			if got.Dropped != nil || !reflect.DeepEqual(got.Values, tt.wantValues) || !reflect.DeepEqual(got.Bindings, tt.wantBindings) {
				t.Errorf("settings = %+v\nwant values %v bindings %v", got, tt.wantValues, tt.wantBindings)
			}
		})
	}
}
