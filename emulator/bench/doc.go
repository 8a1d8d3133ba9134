// Package bench measures the Rust drip-feed workflow against the TypeScript
// reference in Kinde's runtime as the emulator reproduces it: the same
// loopback peers, the same events, the same fetch profile, one run after the
// other (interleaved, so machine noise hits both alike).
//
// What it measures (see BENCHMARKS.md at the repository root):
//
//   - per execution (fresh VM, compiled program cached, as Kinde runs each
//     sign-in): total time and the workflow's own time (execution minus the
//     time inside native bindings), for the early return, a rejected password
//     and a full migration, per provider;
//   - the drip-feed's fixed parts, from copies of its shim that stop early:
//     the early return handled inside Rust (the shim's short circuit off) and
//     the module's instantiation alone, each against the TypeScript early
//     return;
//   - the first execution (compile + instantiate + run);
//   - the bundle Kinde builds, raw and gzip, with and without its inline
//     source map, and the time Kinde's sync spends bundling it;
//   - the heap an execution holds when it ends, and what it allocates;
//   - the floor: the smallest useful workflow (the Rust example,
//     crates/example-workflow, against its twin by hand in TypeScript,
//     reference/example) per execution, on a first execution and in bundle
//     size, against a loopback endpoint: what is left of Rust's cost there is
//     the fixed price of running Rust at all;
//   - `cargo kinde build -p drip-feed` from clean and after a one-line change
//     (in a scratch copy of the workspace).
//
// Every sample is checked: a run that does not end with the expected outcome
// stops the benchmark, so broken runs are never timed.
package bench
