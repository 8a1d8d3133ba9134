// Package auth0 is a loopback peer that answers Auth0's resource-owner password
// grant (POST /oauth/token) as the real Authentication API does, so that a
// drip-feed migration workflow can be tested against it through the emulator
// (which maps https://{tenant}.auth0.com to Server.URL).
//
// Modelled: form and JSON bodies, client authentication in the body or with
// HTTP Basic, the grants "password" (the tenant's default directory) and
// "http://auth0.com/oauth/grant-type/password-realm" (with realm naming a
// connection), the validation errors, wrong credentials, MFA, blocked users,
// brute-force protection per user and end-user IP (auth0-forwarded-for), and
// ID tokens (HS256, signed with the client secret as Auth0 does for HS256
// applications). Rate limiting and outages are injected with Inject.
//
// Sources: Auth0 Authentication API reference (Resource Owner Password and its
// error table), "Authenticate Using the Resource Owner Password Flow with MFA",
// the library error list (too_many_attempts, unauthorized for blocked users),
// and "Avoid common issues with Resource Owner Password Flow and attack
// protection" for auth0-forwarded-for. See emulator/peers/README.md.
package auth0
