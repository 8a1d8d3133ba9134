// Package kinderuntime is this repository's own implementation of the
// observable behaviour of Kinde's workflow runtime: how a project and its
// workflows are found, how a workflow is bundled, how its workflowSettings
// are read, and how it is executed in goja with only the bindings it
// declares.
//
// It is written from scratch against the same engine versions Kinde uses
// (goja v0.0.0-20240919115326-6c7d1df7ff05, esbuild v0.24.0) and the same
// public goja_nodejs modules for require, URL/URLSearchParams and util. The
// README of the emulator module lists where it knowingly differs.
//
// The three stages are:
//
//   - [Discover]: find kinde.json (walking up), then every workflow entry
//     file under <rootDir>/environment/workflows, bundle each one
//     ([BundleWorkflow]) and read its settings ([ReadSettings]).
//   - [ReadSettings]: run the bundle's top level in a VM with no bindings
//     and read module.exports.workflowSettings.
//   - [Runtime.Execute]: run a bundle in a fresh VM with the declared
//     bindings, call its default export and wait for the returned Promise.
package kinderuntime
