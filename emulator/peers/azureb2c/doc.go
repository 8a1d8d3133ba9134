// Package azureb2c is a loopback peer that answers Azure AD B2C's resource
// owner password credentials (ROPC) token endpoint,
// POST /{tenant}.onmicrosoft.com/{policy}/oauth2/v2.0/token, as the real
// service does, so that a migration workflow can be tested against it through
// the emulator (which maps https://{tenant}.b2clogin.com to Server.URL).
//
// Modelled: the form parameters (grant_type=password, client_id, username,
// password, scope with openid / the client id / offline_access,
// response_type "token id_token"), the AADB2C error codes for missing or bad
// parameters, unknown or misconfigured applications (AADB2C90018, 90224,
// 90057, 90058, 90084), wrong credentials (AADB2C90225), locked accounts
// (AADB2C90111, AADB2C90114, with lockout after repeated failures), expired
// passwords, and the success answer (expires_in is a string, as documented).
// Every error_description ends with "\r\nCorrelation ID: …\r\nTimestamp: …"
// like B2C's. Service trouble (AADB2C90035, AADB2C90085, AADB2C90244) is
// injected with Inject.
//
// Sources: Microsoft's "Error codes: Azure Active Directory B2C" table,
// "Set up a resource owner password credentials flow" (request, success
// answer, AADB2C90057 troubleshooting), the localisation string table
// (UserMessageIfPasswordExpired) and an observed answer in
// MicrosoftDocs/azure-docs issue 11469. See emulator/peers/README.md.
package azureb2c
