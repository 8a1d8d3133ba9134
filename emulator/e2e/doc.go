// Package e2e holds the end-to-end tests of the drip-feed migration: the
// Rust workflow (kindeSrc/environment/workflows/dripFeedMigration, built by
// `cargo kinde build`) and the TypeScript reference (reference/) run in the
// emulator under every fetch profile against real loopback peers: Kinde's
// Management API (peers/kindeapi), Auth0, Azure AD B2C, Cognito on moto and
// the generic legacy endpoint (peers/legacyapi). Production hosts are routed
// to the peers, as Kinde would reach the real services.
//
// After the tests, TestMain scans every run record, log line and peer
// exchange for every secret the suite used (see Scanner).
package e2e
