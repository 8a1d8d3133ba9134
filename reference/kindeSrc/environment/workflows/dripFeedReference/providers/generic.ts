// Your own validation endpoint: POST {"email", "password"} as JSON, over kinde.fetch
// or (encrypted with the workflow's key) kinde.secureFetch. It answers JSON
// {"result": "verified" | "mfa_required" | "reset_required" | "rejected" | "locked",
//  "given_name"?, "family_name"?} whatever the HTTP status.

import { code, field, isKnownFailure, post, type Answer } from "../answer";
import { flag, required, secureUrl } from "../config";
import { unrecognised, verified, type Profile, type Verdict } from "../verdict";
import type { Credentials } from "./credentials";

export const URL_VAR = "LEGACY_VALIDATION_URL";
export const SECURE_FETCH_VAR = "LEGACY_USE_SECURE_FETCH";

/** Generic endpoint settings. */
export interface GenericConfig {
  url: string;
  secureFetch: boolean;
}

export function loadGeneric(): GenericConfig {
  return { url: secureUrl(URL_VAR, required(URL_VAR)), secureFetch: flag(SECURE_FETCH_VAR, false) };
}

/** Posts the credentials and classifies the answer. */
export async function checkGeneric(config: GenericConfig, credentials: Credentials): Promise<Verdict> {
  const answer = await post({
    url: config.url,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    secure: config.secureFetch,
  });
  return answer ? classifyGeneric(answer) : unrecognised(answer);
}

/** Classifies the endpoint's `result`. */
export function classifyGeneric(answer: Answer): Verdict {
  const result = field(answer, "result");
  const name = (claim: string) => field(answer, claim)?.trim() || undefined;
  const profile = (): Profile => ({ given_name: name("given_name"), family_name: name("family_name") });
  switch (result) {
    case "verified":
      return isKnownFailure(answer) ? unrecognised(answer) : verified(profile());
    case "mfa_required":
      return { kind: "verified", profile: profile(), step: code(result) };
    case "reset_required":
      return { kind: "must_reset", code: code(result) };
    case "rejected":
      return { kind: "rejected", code: code(result) };
    case "locked":
      return { kind: "locked", code: code(result) };
    default:
      return unrecognised(answer);
  }
}
