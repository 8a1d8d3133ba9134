// Package emulator runs Kinde workflows the way Kinde does, as a test oracle.
//
// Discovery, bundling and execution follow the observable behaviour of
// Kinde's workflow runtime, re-implemented in internal/kinderuntime on the
// same engine versions (goja v0.0.0-20240919115326-6c7d1df7ff05, esbuild
// v0.24.0): kinde.json is found by walking up, every *workflow.ts/.js file
// under <rootDir>/environment/workflows is bundled with Kinde's esbuild
// options, its workflowSettings are read by running the bundle's top level
// with no bindings, and a run happens in a fresh goja VM that has only the
// bindings its workflowSettings declares.
//
// The emulator supplies the native Kinde APIs that Kinde keeps private:
// kinde.fetch (synchronous, real HTTP through net/http) and kinde.env
// (values from a caller-supplied map). console, url, util and module are
// the runtime's built-in bindings. Every run produces a [RunRecord]: the
// outcome, console output, outgoing requests and timings.
//
// Typical use:
//
//	project, err := emulator.Load("/path/to/repo") // the directory holding kinde.json
//	rec, err := project.Run(ctx, "myWorkflow", eventJSON, env, emulator.Options{Timeout: 5 * time.Second})
package emulator
