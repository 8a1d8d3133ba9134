package emulator

import (
	"context"
	"fmt"
	"reflect"

	"kindewasm/emulator/internal/kinderuntime"
)

// tokenKinds are the tokens whose custom claims a workflow can set.
var tokenKinds = []string{"accessToken", "idToken", "m2mToken"}

// argCheck validates the argument at index i and returns it (possibly
// normalised).
type argCheck func(args []any, i int) (any, error)

// stringArg requires a string argument.
func stringArg(name string) argCheck {
	return func(args []any, i int) (any, error) {
		if i >= len(args) || args[i] == nil {
			return nil, fmt.Errorf("%s (argument %d) is required", name, i+1)
		}
		s, ok := args[i].(string)
		if !ok {
			return nil, fmt.Errorf("%s (argument %d) must be a string, got %s", name, i+1, jsType(args[i]))
		}
		return s, nil
	}
}

// optionalObjectArg accepts a missing argument or a plain object.
func optionalObjectArg(name string) argCheck {
	return func(args []any, i int) (any, error) {
		if i >= len(args) || args[i] == nil {
			return nil, nil
		}
		if _, ok := args[i].(map[string]any); !ok {
			return nil, fmt.Errorf("%s (argument %d) must be an object, got %s", name, i+1, jsType(args[i]))
		}
		return args[i], nil
	}
}

// jsonArg accepts any value JSON can encode (no functions).
func jsonArg(name string) argCheck {
	return func(args []any, i int) (any, error) {
		if i >= len(args) {
			return nil, fmt.Errorf("%s (argument %d) is required", name, i+1)
		}
		if _, err := marshalCompact(args[i]); err != nil {
			return nil, fmt.Errorf("%s (argument %d) must be JSON-encodable, got %s", name, i+1, jsType(args[i]))
		}
		return args[i], nil
	}
}

// checkArgs validates args for the binding kinde.<kind>.
func checkArgs(kind string, args []any, checks []argCheck) ([]any, error) {
	checked := make([]any, 0, len(checks))
	for i, check := range checks {
		v, err := check(args, i)
		if err != nil {
			return nil, fmt.Errorf("kinde.%s: %w", kind, err)
		}
		if v != nil || i < len(args) {
			checked = append(checked, v)
		}
	}
	return checked, nil
}

// action is a binding whose only effect is to be recorded as an Action.
func action(kind string, checks ...argCheck) kinderuntime.NativeFunc {
	return withRun(func(_ context.Context, run *runState, args []any) (any, error) {
		checked, err := checkArgs(kind, args, checks)
		if err != nil {
			return nil, err
		}
		run.addAction(kind, checked)
		return undefined, nil
	})
}

// setCustomClaimBinding implements kinde.<token>.setCustomClaim(name, value).
func setCustomClaimBinding(token string) runBinding {
	kind := token + ".setCustomClaim"
	return func(_ context.Context, run *runState, args []any) (any, error) {
		checked, err := checkArgs(kind, args, []argCheck{stringArg("name"), jsonArg("value")})
		if err != nil {
			return nil, err
		}
		run.addAction(kind, checked)
		run.mu.Lock()
		defer run.mu.Unlock()
		if run.claims == nil {
			run.claims = map[string]map[string]any{}
		}
		if run.claims[token] == nil {
			run.claims[token] = map[string]any{}
		}
		run.claims[token][checked[0].(string)] = checked[1]
		return undefined, nil
	}
}

// getCustomClaimsBinding implements kinde.<token>.getCustomClaims(): a
// copy of the claims set so far.
func getCustomClaimsBinding(token string) runBinding {
	kind := token + ".getCustomClaims"
	return func(_ context.Context, run *runState, _ []any) (any, error) {
		run.addAction(kind, nil)
		run.mu.Lock()
		defer run.mu.Unlock()
		claims := map[string]any{}
		for name, value := range run.claims[token] {
			claims[name] = value
		}
		return claims, nil
	}
}

// localizationBinding implements kinde.localization.get(key): the string
// configured in Options.Localization, or "".
func localizationBinding(_ context.Context, run *runState, args []any) (any, error) {
	checked, err := checkArgs("localization.get", args, []argCheck{stringArg("key")})
	if err != nil {
		return nil, err
	}
	run.addAction("localization.get", checked)
	return run.localization[checked[0].(string)], nil
}

// jsType names the JS type of a goja-exported value for error messages.
func jsType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64, int, int32:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if reflect.TypeOf(v).Kind() == reflect.Func {
		return "function"
	}
	return fmt.Sprintf("%T", v)
}
