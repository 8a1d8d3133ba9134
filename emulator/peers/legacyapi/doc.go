// Package legacyapi is a loopback peer that plays a customer's own legacy
// password-validation endpoint: the "generic" provider of the drip-feed
// migration workflow (crates/drip-feed) and of its TypeScript reference.
//
// The contract: POST {"email", "password"} as JSON (or, when the workflow uses
// kinde.secureFetch, that JSON encrypted with the workflow's AES-256-GCM key
// and sent as standard Base64 of nonce(12) ‖ tag(16) ‖ ciphertext); the
// answer is JSON {"result": "verified" | "mfa_required" | "reset_required" |
// "rejected" | "locked", "given_name"?, "family_name"?}, whatever the HTTP
// status. A wrong password and an unknown e-mail get the same answer.
//
// Requests that break the contract (another method or path, a body that is
// not the JSON object above, an extra field, a plaintext body when a key is
// configured or a body the key does not open) are answered 400 with
// {"error": "invalid_request", "error_description"} and recorded as
// violations; Start fails the test that ran them. Outages are injected with
// Inject (see faults.go). Recorded exchanges never hold a password.
package legacyapi
