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
// The emulator supplies the native Kinde APIs that Kinde keeps private,
// under the names @kinde/infrastructure calls: kinde.fetch and
// kinde.secureFetch (synchronous, real HTTP; production hosts are sent to
// loopback servers through Options.Routes and nothing else leaves the
// machine), kinde.env, kinde.cache.jwtToken (a Project-wide token cache
// validated against a JWKS), and the action bindings (widget, auth,
// idToken/accessToken/m2mToken claims, mfa, plan, localization). What
// Kinde leaves undocumented about fetch answers is chosen by a [Profile].
// Every run produces a [RunRecord] with secrets masked: the outcome,
// console output, outgoing requests, actions and timings.
//
// Typical use:
//
//	project, err := emulator.Load("/path/to/repo") // the directory holding kinde.json
//	rec, err := project.Run(ctx, "myWorkflow", eventJSON, env, emulator.Options{Timeout: 5 * time.Second})
//	emulator.FormatRecord(os.Stdout, rec)
package emulator
