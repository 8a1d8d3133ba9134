// Amazon Cognito: AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH) signed with SigV4 when
// IAM credentials are set, otherwise InitiateAuth (USER_PASSWORD_AUTH); both add
// SECRET_HASH when the app client has a secret.

import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64 } from "@scure/base";

import { code, field, fieldOf, isKnownFailure, post, type Answer } from "../answer";
import { checkToken, optional, optionalSecret, required } from "../config";
import { profileFromIdToken } from "../jwt";
import { signV4, type AwsCredentials } from "../sigv4";
import { utf8Encode } from "../utf8";
import { misconfigured, unrecognised, verified, type Verdict } from "../verdict";
import type { Credentials } from "./credentials";

export const REGION_VAR = "AWS_REGION";
export const CLIENT_ID_VAR = "COGNITO_CLIENT_ID";
export const CLIENT_SECRET_VAR = "COGNITO_CLIENT_SECRET";
export const USER_POOL_ID_VAR = "COGNITO_USER_POOL_ID";
export const ACCESS_KEY_ID_VAR = "AWS_ACCESS_KEY_ID";
export const SECRET_ACCESS_KEY_VAR = "AWS_SECRET_ACCESS_KEY";
export const SESSION_TOKEN_VAR = "AWS_SESSION_TOKEN";

const SERVICE = "cognito-idp";
const CONTENT_TYPE = "application/x-amz-json-1.1";
const ALL_VARIABLES =
  "AWS_REGION, COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, COGNITO_USER_POOL_ID, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and that the app client allows the auth flow";
const TRANSIENT_TYPES = [
  "TooManyRequestsException", "InternalErrorException", "LimitExceededException",
  "ThrottlingException", "ServiceUnavailableException",
];
const MISCONFIGURED_TYPES = [
  "ResourceNotFoundException", "InvalidParameterException", "InvalidUserPoolConfigurationException",
  "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
  "IncompleteSignature", "MissingAuthenticationToken", "AccessDeniedException", "ExpiredTokenException",
  "InvalidClientTokenId", "UnsupportedOperationException", "InvalidLambdaResponseException",
  "UserLambdaValidationException",
];
/** Challenges after a correct password that Kinde's own MFA replaces. */
const MFA_CHALLENGES = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "MFA_SETUP", "SELECT_MFA_TYPE", "DEVICE_SRP_AUTH"];
/** AWS's XML signature errors (as moto and some gateways send them). */
const XML_SIGNATURE_ERRORS = ["SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature"];

/** Cognito settings. */
export interface CognitoConfig {
  region: string;
  host: string;
  clientId: string;
  clientSecret?: string;
  /** What AdminInitiateAuth needs; absent for InitiateAuth. */
  admin?: { userPoolId: string; credentials: AwsCredentials };
}

export function loadCognito(): CognitoConfig {
  const region = required(REGION_VAR);
  checkToken(REGION_VAR, region, "-");
  const clientId = required(CLIENT_ID_VAR);
  const clientSecret = optionalSecret(CLIENT_SECRET_VAR);
  const accessKeyId = optional(ACCESS_KEY_ID_VAR);
  const secretAccessKey = optional(SECRET_ACCESS_KEY_VAR);
  if (accessKeyId !== undefined && secretAccessKey === undefined) required(SECRET_ACCESS_KEY_VAR);
  if (accessKeyId === undefined && secretAccessKey !== undefined) required(ACCESS_KEY_ID_VAR);
  const admin =
    accessKeyId !== undefined && secretAccessKey !== undefined
      ? {
          userPoolId: required(USER_POOL_ID_VAR),
          credentials: { accessKeyId, secretAccessKey, sessionToken: optional(SESSION_TOKEN_VAR) },
        }
      : undefined;
  return { region, host: `cognito-idp.${region}.amazonaws.com`, clientId, clientSecret, admin };
}

/** `SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id))`. */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return base64.encode(hmac(sha256, utf8Encode(clientSecret), utf8Encode(username + clientId)));
}

/** Sends InitiateAuth or AdminInitiateAuth and classifies the answer. */
export async function checkCognito(config: CognitoConfig, credentials: Credentials): Promise<Verdict> {
  const parameters: Record<string, string> = { USERNAME: credentials.email, PASSWORD: credentials.password };
  if (config.clientSecret) parameters.SECRET_HASH = secretHash(config.clientSecret, credentials.email, config.clientId);
  const target = config.admin
    ? "AWSCognitoIdentityProviderService.AdminInitiateAuth"
    : "AWSCognitoIdentityProviderService.InitiateAuth";
  const body = JSON.stringify(
    config.admin
      ? {
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          ClientId: config.clientId,
          UserPoolId: config.admin.userPoolId,
          AuthParameters: parameters,
        }
      : { AuthFlow: "USER_PASSWORD_AUTH", ClientId: config.clientId, AuthParameters: parameters },
  );
  let headers: Record<string, string> = { "Content-Type": CONTENT_TYPE, "X-Amz-Target": target };
  if (config.admin) {
    const signed = signV4(
      { method: "POST", headers: { Host: config.host, ...headers }, body },
      config.admin.credentials,
      config.region,
      SERVICE,
      new Date(),
    );
    headers = { ...headers, ...signed };
  }
  const answer = await post({ url: `https://${config.host}/`, headers, body });
  return answer ? classifyCognito(answer) : unrecognised(answer);
}

/** Classifies an (Admin)InitiateAuth answer by `__type` or `ChallengeName`. */
export function classifyCognito(answer: Answer): Verdict {
  if (!isKnownFailure(answer)) {
    const result = fieldOf(answer.json, "AuthenticationResult");
    if (result !== undefined) {
      const idToken = fieldOf(result, "IdToken");
      return verified(profileFromIdToken(typeof idToken === "string" ? idToken : undefined));
    }
    const challenge = field(answer, "ChallengeName");
    if (challenge !== undefined) return classifyChallenge(challenge);
  }
  const errorType =
    field(answer, "__type")?.split("#").pop() ?? XML_SIGNATURE_ERRORS.find((name) => answer.text.includes(name));
  if (errorType === undefined) return unrecognised(answer);
  const message = (field(answer, "message") ?? field(answer, "Message") ?? "").toLowerCase();
  if (errorType === "NotAuthorizedException") {
    if (message.includes("secret hash")) return misconfigured("Cognito", errorType, ALL_VARIABLES);
    if (message.includes("attempts exceeded") || message.includes("disabled")) {
      return { kind: "locked", code: code(errorType) };
    }
    return { kind: "rejected", code: code(errorType) };
  }
  if (errorType === "UserNotFoundException") return { kind: "rejected", code: code(errorType) };
  if (errorType === "PasswordResetRequiredException") return { kind: "must_reset", code: code(errorType) };
  if (errorType === "UserNotConfirmedException") return { kind: "locked", code: code(errorType) };
  if (TRANSIENT_TYPES.includes(errorType)) return { kind: "transient", code: code(errorType) };
  if (MISCONFIGURED_TYPES.includes(errorType)) return misconfigured("Cognito", errorType, ALL_VARIABLES);
  return unrecognised(answer);
}

/** MFA next (migrate; Kinde takes over the second factor) or a forced new password. */
function classifyChallenge(challenge: string): Verdict {
  if (MFA_CHALLENGES.includes(challenge)) return { kind: "verified", profile: {}, step: code(challenge) };
  if (challenge === "NEW_PASSWORD_REQUIRED") return { kind: "must_reset", code: code(challenge) };
  return misconfigured("Cognito", challenge, ALL_VARIABLES);
}
