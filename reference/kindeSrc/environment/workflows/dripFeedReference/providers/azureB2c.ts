// Azure AD B2C: the ROPC token endpoint of a user flow. Errors are classified by the
// `AADB2C…` code that opens `error_description`.

import { code, field, isKnownFailure, post, type Answer } from "../answer";
import { checkToken, optional, required } from "../config";
import { profileFromIdToken } from "../jwt";
import { misconfigured, unrecognised, verified, type Verdict } from "../verdict";
import type { Credentials } from "./credentials";

export const TENANT_VAR = "AZURE_B2C_TENANT";
export const POLICY_VAR = "AZURE_B2C_ROPC_POLICY";
export const CLIENT_ID_VAR = "AZURE_B2C_CLIENT_ID";
export const SCOPE_VAR = "AZURE_B2C_SCOPE";

const ALL_VARIABLES =
  "AZURE_B2C_TENANT, AZURE_B2C_ROPC_POLICY, AZURE_B2C_CLIENT_ID and AZURE_B2C_SCOPE, and that the application allows public client flows";
/** The code logged for B2C's code-less expired-password answer. */
const PASSWORD_EXPIRED = "password_expired";

const REJECTED_CODES = ["AADB2C90225", "AADB2C90052", "AADB2C90053", "AADB2C90054"];
const LOCKED_CODES = ["AADB2C90111", "AADB2C90114"];
/** Password expired or reset forced (Entra's AADSTS50055 surfaces through B2C). */
const RESET_CODES = ["AADB2C90118", "AADSTS50055"];
const TRANSIENT_CODES = ["AADB2C90035", "AADB2C90085", "AADB2C90063", "AADB2C90048", "AADB2C90038"];
const MISCONFIGURED_CODES = [
  "AADB2C90224", "AADB2C90057", "AADB2C90058", "AADB2C90008", "AADB2C90010", "AADB2C90012",
  "AADB2C90018", "AADB2C90066", "AADB2C90079", "AADB2C90081", "AADB2C90086", "AADB2C90117",
];

/** Azure AD B2C settings. */
export interface AzureB2cConfig {
  tokenUrl: string;
  clientId: string;
  scope: string;
}

export function loadAzureB2c(): AzureB2cConfig {
  const tenant = required(TENANT_VAR);
  checkToken(TENANT_VAR, tenant, "-");
  const policy = required(POLICY_VAR);
  checkToken(POLICY_VAR, policy, "-_");
  const clientId = required(CLIENT_ID_VAR);
  return {
    tokenUrl: `https://${tenant}.b2clogin.com/${tenant}.onmicrosoft.com/${policy}/oauth2/v2.0/token`,
    clientId,
    scope: `openid ${optional(SCOPE_VAR) ?? clientId}`,
  };
}

/** Posts the ROPC form and classifies the answer. */
export async function checkAzureB2c(config: AzureB2cConfig, credentials: Credentials): Promise<Verdict> {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: config.clientId,
    scope: config.scope,
    response_type: "token id_token",
    username: credentials.email,
    password: credentials.password,
  });
  const answer = await post({
    url: config.tokenUrl,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  return answer ? classifyAzureB2c(answer) : unrecognised(answer);
}

/** Classifies a token answer. */
export function classifyAzureB2c(answer: Answer): Verdict {
  const hasToken = field(answer, "access_token") !== undefined || field(answer, "id_token") !== undefined;
  if (hasToken && !isKnownFailure(answer)) return verified(profileFromIdToken(field(answer, "id_token")));
  const error = field(answer, "error");
  const description = field(answer, "error_description");
  const b2c = description === undefined ? undefined : leadingCode(description);
  if (b2c !== undefined) return classifyCode(b2c, answer);
  if (error === undefined) return unrecognised(answer);
  // B2C answers an expired password with its user flow's text and no code.
  if (description?.trimStart().toLowerCase().startsWith("your password has expired")) {
    return { kind: "must_reset", code: PASSWORD_EXPIRED };
  }
  switch (error) {
    case "invalid_client":
    case "unauthorized_client":
    case "unsupported_grant_type":
      return misconfigured("Azure AD B2C", error, ALL_VARIABLES);
    case "temporarily_unavailable":
    case "server_error":
      return { kind: "transient", code: code(error) };
    default:
      return unrecognised(answer);
  }
}

function classifyCode(b2c: string, answer: Answer): Verdict {
  if (REJECTED_CODES.includes(b2c)) return { kind: "rejected", code: b2c };
  if (LOCKED_CODES.includes(b2c)) return { kind: "locked", code: b2c };
  if (RESET_CODES.includes(b2c)) return { kind: "must_reset", code: b2c };
  if (TRANSIENT_CODES.includes(b2c)) return { kind: "transient", code: b2c };
  if (MISCONFIGURED_CODES.includes(b2c)) return misconfigured("Azure AD B2C", b2c, ALL_VARIABLES);
  return unrecognised(answer);
}

/** `AADB2C90225` from `AADB2C90225: The username or password ...`. */
function leadingCode(description: string): string | undefined {
  const match = /^\s*((?:AADB2C|AADSTS)\d+)(?![A-Za-z0-9])/.exec(description);
  return match ? match[1] : undefined;
}
