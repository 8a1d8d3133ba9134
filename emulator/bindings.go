package emulator

import (
	"context"
	"fmt"
	"sort"

	"kindewasm/emulator/internal/kinderuntime"
)

// newRuntime returns a runtime with every native Kinde API this emulator
// provides (see README.md for the list). The functions find the state of
// the run that calls them in their context.
func (p *Project) newRuntime() *kinderuntime.Runtime {
	rt := kinderuntime.New()
	kinde := rt.NativeAPI("kinde")
	kinde.Func("fetch", withRun(fetchBinding))
	kinde.Func("secureFetch", withRun(secureFetchBinding))

	env := kinde.API("env")
	env.Func("get", withRun(envBinding))
	env.Func("getEnvironmentVariable", withRun(envBinding))

	kinde.API("cache").Callback("jwtToken", p.jwtTokenBinding)

	kinde.API("widget").Func("invalidateFormField", action("widget.invalidateFormField", stringArg("field"), stringArg("message")))
	kinde.API("auth").Func("denyAccess", action("auth.denyAccess", stringArg("reason")))
	kinde.API("mfa").Func("setEnforcementPolicy", action("mfa.setEnforcementPolicy", stringArg("policy")))
	plan := kinde.API("plan")
	plan.Func("denySelection", action("plan.denySelection", stringArg("message"), optionalObjectArg("details")))
	plan.Func("denyCancellation", action("plan.denyCancellation", stringArg("message")))
	kinde.API("localization").Func("get", withRun(localizationBinding))
	for _, token := range tokenKinds {
		api := kinde.API(token)
		api.Func("setCustomClaim", withRun(setCustomClaimBinding(token)))
		api.Func("getCustomClaims", withRun(getCustomClaimsBinding(token)))
	}
	return rt
}

// runBinding is a native function that works on the current run's state.
type runBinding func(ctx context.Context, run *runState, args []any) (any, error)

// withRun adapts a binding that needs the current run's state and counts
// the time spent in it as binding time.
func withRun(fn runBinding) kinderuntime.NativeFunc {
	return func(ctx context.Context, _ kinderuntime.BindingSettings, args []any) (any, error) {
		run, err := runStateOf(ctx)
		if err != nil {
			return nil, err
		}
		run.clock.enter()
		defer run.clock.exit()
		return fn(ctx, run, args)
	}
}

// runStateOf finds the run a binding is called in.
func runStateOf(ctx context.Context) (*runState, error) {
	run, ok := ctx.Value(runStateKey{}).(*runState)
	if !ok {
		return nil, fmt.Errorf("kinde emulator: binding called outside an emulated run")
	}
	return run, nil
}

// unsupportedBindings lists declared bindings that install nothing: neither
// a built-in binding (console, url, util, module) nor a path into the
// emulated kinde API.
func (p *Project) unsupportedBindings(declared map[string]kinderuntime.BindingSettings) []string {
	var names []string
	for name := range declared {
		if !p.runtime.Provides(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// envBinding implements kinde.env.get and kinde.env.getEnvironmentVariable:
// {value, isSecret}, or undefined when the variable is not set.
func envBinding(_ context.Context, run *runState, args []any) (any, error) {
	key, err := stringArg("key")(args, 0)
	if err != nil {
		return nil, fmt.Errorf("kinde.env.get: %w", err)
	}
	value, ok := run.env[key.(string)]
	if !ok {
		return undefined, nil
	}
	return map[string]any{"value": value, "isSecret": run.secrets[key.(string)]}, nil
}
