// What a provider's answer means for the migration (crates/drip-feed `verdict`).

import { code, statusCode, type Answer } from "./answer";

/** Names from the provider, for the Kinde profile. */
export interface Profile {
  given_name?: string;
  family_name?: string;
}

/** The provider's judgement of the password, classified. */
export type Verdict =
  /** The password is right: migrate. `step` names a further step (MFA) Kinde takes over. */
  | { kind: "verified"; profile: Profile; step?: string }
  /** The provider wants the password reset first. */
  | { kind: "must_reset"; code: string }
  /** Wrong password or unknown user. */
  | { kind: "rejected"; code: string }
  /** Locked, blocked or unconfirmed account. */
  | { kind: "locked"; code: string }
  /** Rate limit, outage, timeout or an unreadable answer: the next sign-in retries. */
  | { kind: "transient"; code: string }
  /** The provider refused our configuration; the message names the variables. */
  | { kind: "misconfigured"; message: string };

/** A verified password with no extra step. */
export function verified(profile: Profile): Verdict {
  return { kind: "verified", profile };
}

/** A misconfiguration: the provider's `error`, and the `variables` to check. */
export function misconfigured(provider: string, error: string, variables: string): Verdict {
  return { kind: "misconfigured", message: `${provider} refused the workflow's configuration (${code(error)}): check ${variables}` };
}

/** The verdict for no answer at all, or an answer no rule recognised: transient. */
export function unrecognised(answer: Answer | undefined): Verdict {
  if (!answer) return { kind: "transient", code: "no answer" };
  const body = answer.text.trim() ? "unrecognised body" : "empty body";
  return { kind: "transient", code: `${statusCode(answer.status)}, ${body}` };
}
