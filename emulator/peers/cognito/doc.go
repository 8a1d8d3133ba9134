// Package cognito runs moto (a real AWS mock server, installed by
// scripts/install-moto) as the Amazon Cognito user-pool peer, seeded over
// plain HTTP with a user pool, two app clients (without and with a secret),
// users in each state and an IAM user with an access key allowed
// cognito-idp:*. moto starts with INITIAL_NO_AUTH_ACTION_COUNT equal to the
// number of seeding requests, so afterwards every request except moto's
// public operations must carry a valid SigV4 signature by that key; New
// checks this with an unsigned probe. Requests reach moto through a
// recording, fault-injecting reverse proxy (Server.URL) that changes nothing
// (it signs nothing: the workflow signs).
//
// What moto 5.2.5 does, measured by this package's tests (real AWS in
// brackets):
//   - AdminInitiateAuth is signature-checked: a wrong secret key answers 403
//     XML SignatureDoesNotMatch, an unknown key or any X-Amz-Security-Token
//     with an IAM user's key 403 XML InvalidClientTokenId, no Authorization
//     header a bare HTML 500 [400 MissingAuthenticationTokenException].
//   - X-Amz-Date is not checked against the clock [403 after 5 minutes].
//   - The region is taken from the signing scope when the Host is loopback
//     (or from a cognito-idp.{region}.amazonaws.com Host).
//   - InitiateAuth, SignUp, ConfirmSignUp, ForgotPassword and GetUser are
//     public: never signature-checked, even when badly signed [same: AWS does
//     not require SigV4 for them].
//   - SECRET_HASH is not verified on USER_PASSWORD_AUTH (only on USER_SRP_AUTH
//     and refresh) [NotAuthorizedException when wrong or missing].
//   - Wrong password: NotAuthorizedException; unknown user:
//     UserNotFoundException; FORCE_CHANGE_PASSWORD: NEW_PASSWORD_REQUIRED;
//     SMS MFA: SMS_MFA challenge.
//   - An admin-reset user (RESET_REQUIRED) gets NEW_PASSWORD_REQUIRED on
//     AdminInitiateAuth and tokens on InitiateAuth
//     [PasswordResetRequiredException]: inject PasswordResetRequired instead.
//   - ExplicitAuthFlows of the app client are not enforced.
package cognito
