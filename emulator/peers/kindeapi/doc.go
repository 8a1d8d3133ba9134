// Package kindeapi is a loopback peer that behaves like Kinde's Management
// API for what a migration workflow needs: the OAuth2 client-credentials
// token endpoint with RS256 tokens and a JWKS, creating, listing and
// reading users, and setting their passwords. Every request and every
// answer is validated against Kinde's OpenAPI spec (embedded, MIT); a
// request the spec forbids is answered 400 and recorded as a Violation,
// and Start fails the test that caused one. Faults (rate limits, server
// errors, delays, answers lost after the change was applied) can be
// injected per route and call. See README.md for what is modelled and the
// assumptions made where Kinde's behaviour is undocumented.
package kindeapi
