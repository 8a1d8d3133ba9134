// Auth0: the Resource Owner Password grant (`password`, or `password-realm` when
// AUTH0_REALM names a database connection). Answers are classified by their `error`
// code, never by the description.

import { code, field, isKnownFailure, post, type Answer } from "../answer";
import { checkToken, optional, optionalSecret, required, secureUrl } from "../config";
import { profileFromIdToken } from "../jwt";
import { misconfigured, unrecognised, verified, type Verdict } from "../verdict";
import type { Credentials } from "./credentials";

export const DOMAIN_VAR = "AUTH0_DOMAIN";
export const CLIENT_ID_VAR = "AUTH0_CLIENT_ID";
export const CLIENT_SECRET_VAR = "AUTH0_CLIENT_SECRET";
export const AUDIENCE_VAR = "AUTH0_AUDIENCE";
export const REALM_VAR = "AUTH0_REALM";

const PASSWORD_REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
const ALL_VARIABLES =
  "AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_AUDIENCE and AUTH0_REALM, and that the application allows the Password grant";

/** Auth0 settings. */
export interface Auth0Config {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  audience?: string;
  realm?: string;
}

export function loadAuth0(): Auth0Config {
  const domain = required(DOMAIN_VAR);
  let base: string;
  if (domain.includes("://")) {
    base = secureUrl(DOMAIN_VAR, domain);
  } else {
    checkToken(DOMAIN_VAR, domain, "-.:");
    base = `https://${domain}`;
  }
  return {
    tokenUrl: `${base}/oauth/token`,
    clientId: required(CLIENT_ID_VAR),
    clientSecret: optionalSecret(CLIENT_SECRET_VAR),
    audience: optional(AUDIENCE_VAR),
    realm: optional(REALM_VAR),
  };
}

/** Posts the credentials to `/oauth/token` and classifies the answer. */
export async function checkAuth0(config: Auth0Config, credentials: Credentials): Promise<Verdict> {
  const body: Record<string, string> = config.realm
    ? { grant_type: PASSWORD_REALM_GRANT, realm: config.realm }
    : { grant_type: "password" };
  body.username = credentials.email;
  body.password = credentials.password;
  body.client_id = config.clientId;
  if (config.clientSecret) body.client_secret = config.clientSecret;
  if (config.audience) body.audience = config.audience;
  body.scope = "openid profile";
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (credentials.ip) headers["auth0-forwarded-for"] = credentials.ip;
  const answer = await post({ url: config.tokenUrl, headers, body: JSON.stringify(body) });
  return answer ? classifyAuth0(answer) : unrecognised(answer);
}

/** Classifies a token-endpoint answer by its `error` code. */
export function classifyAuth0(answer: Answer): Verdict {
  if (field(answer, "access_token") !== undefined && !isKnownFailure(answer)) {
    return verified(profileFromIdToken(field(answer, "id_token")));
  }
  const error = field(answer, "error");
  switch (error) {
    case undefined:
      return unrecognised(answer);
    // The password was right; Auth0 wants a second factor Kinde will ask for.
    case "mfa_required":
      return { kind: "verified", profile: {}, step: code(error) };
    case "invalid_grant":
    case "invalid_user_password":
      return { kind: "rejected", code: code(error) };
    case "too_many_attempts":
    case "unauthorized":
    case "blocked_user":
    case "access_denied":
      return { kind: "locked", code: code(error) };
    case "password_leaked":
      return { kind: "must_reset", code: code(error) };
    case "too_many_requests":
    case "server_error":
    case "temporarily_unavailable":
      return { kind: "transient", code: code(error) };
    case "invalid_client":
    case "unauthorized_client":
    case "invalid_request":
    case "invalid_scope":
    case "unsupported_grant_type":
      return misconfigured("Auth0", error, ALL_VARIABLES);
    default:
      return unrecognised(answer);
  }
}
