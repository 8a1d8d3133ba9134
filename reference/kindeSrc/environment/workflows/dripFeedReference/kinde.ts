// Moving the verified user into Kinde through the Management API, idempotently
// (crates/drip-feed `kinde`): look the user up by e-mail first, create them only when
// absent, then set the password from Kinde's own bcrypt hash. A failed or unanswered
// create is followed by another lookup, never by a blind second create.

import { createKindeAPI, onExistingPasswordProvidedEvent } from "@kinde/infrastructure";

import { code, fieldOf, parseThrownHttp, statusCode } from "./answer";
import type { Profile } from "./verdict";

/** Attempts per Management API call on 429, 5xx or no answer (immediate: goja has no timers). */
export const ATTEMPTS = 3;

/** Markers of error codes that mean "try again" when the host hides the status. */
const RETRYABLE_MARKERS = ["TOO_MANY", "RATE_LIMIT", "THROTTL", "INTERNAL", "UNAVAILABLE", "TIMEOUT"];

type KindeAPI = Awaited<ReturnType<typeof createKindeAPI>>;

/** Where the user ended up. */
export interface Migrated {
  userId: string;
  created: boolean;
}

/** How a call ended: its answer, or why it failed and whether retrying may help. */
type CallResult = { ok: true; value: unknown } | { ok: false; retryable: boolean; code: string };

/** Finds or creates the user for `email` and sets their password hash. */
export async function migrate(
  event: onExistingPasswordProvidedEvent,
  email: string,
  hashedPassword: string,
  profile: Profile,
): Promise<Migrated> {
  const api = await createKindeAPI(event);
  const found = await findUser(api, email);
  const migrated = found !== undefined ? { userId: found, created: false } : await createOrFind(api, email, profile);
  await setPassword(api, migrated.userId, hashedPassword);
  return migrated;
}

async function createOrFind(api: KindeAPI, email: string, profile: Profile): Promise<Migrated> {
  for (let attempt = 1; ; attempt++) {
    const created = await createUser(api, email, profile);
    if (created.ok) return { userId: created.value as string, created: true };
    console.warn(`drip-feed: creating the Kinde user failed (${created.code}); looking it up again`);
    const found = await findUser(api, email);
    if (found !== undefined) return { userId: found, created: false };
    if (!created.retryable || attempt >= ATTEMPTS) throw apiError("creating the Kinde user failed", created);
  }
}

/** The id of the one Kinde user whose e-mail is `email` (compared ignoring case). */
async function findUser(api: KindeAPI, email: string): Promise<string | undefined> {
  const answer = await withRetries(() => api.get({ endpoint: `users?email=${encodeURIComponent(email)}` }));
  if (!answer.ok) throw apiError("looking up the Kinde user failed", answer);
  const users = fieldOf(answer.value, "users") ?? [];
  if (!Array.isArray(users)) throw new Error("looking up the Kinde user failed: `users` is not a list");
  const wanted = email.toLowerCase();
  const ids = users
    .filter((user) => {
      const found = fieldOf(user, "email");
      return typeof found === "string" && found.toLowerCase() === wanted;
    })
    .map((user) => fieldOf(user, "id"))
    .filter((id): id is string => typeof id === "string");
  if (ids.length > 1) {
    throw new Error(
      "several Kinde users have this e-mail address; not choosing one (merge them, then the next sign-in migrates)",
    );
  }
  return ids[0];
}

/** `POST user`, once: a lost answer may hide a created user. */
async function createUser(api: KindeAPI, email: string, profile: Profile): Promise<CallResult> {
  const names: Record<string, string> = {};
  if (profile.given_name) names.given_name = profile.given_name;
  if (profile.family_name) names.family_name = profile.family_name;
  const answer = await once(() =>
    api.post({
      endpoint: "user",
      params: { profile: names, identities: [{ type: "email", is_verified: true, details: { email } }] },
    } as never),
  );
  if (!answer.ok) return answer;
  const id = fieldOf(answer.value, "id");
  if (typeof id === "string" && id && fieldOf(answer.value, "created") !== false) return { ok: true, value: id };
  return { ok: false, retryable: false, code: "answer without a new user id" };
}

/** `PUT users/{id}/password` with Kinde's bcrypt hash. */
async function setPassword(api: KindeAPI, userId: string, hashedPassword: string): Promise<void> {
  const answer = await withRetries(() =>
    api.put({
      endpoint: `users/${encodeURIComponent(userId)}/password`,
      params: { hashed_password: hashedPassword, hashing_method: "bcrypt" },
    } as never),
  );
  if (!answer.ok) throw apiError("setting the Kinde password failed", answer);
}

/** One call, repeated up to ATTEMPTS times while its failure is retryable. */
async function withRetries(request: () => Promise<{ data: unknown }>): Promise<CallResult> {
  for (let attempt = 1; ; attempt++) {
    const answer = await once(request);
    if (answer.ok || !answer.retryable || attempt >= ATTEMPTS) return answer;
  }
}

/** One call, its answer classified. */
async function once(request: () => Promise<{ data: unknown }>): Promise<CallResult> {
  let value: unknown;
  try {
    value = (await request()).data;
  } catch (error) {
    const thrown = parseThrownHttp(error instanceof Error ? error.message : String(error));
    if (!thrown) return { ok: false, retryable: true, code: "no answer" };
    let body: unknown;
    try {
      body = JSON.parse(thrown.body);
    } catch {
      body = undefined;
    }
    const bodyCode = errorCode(body);
    const failure = statusCode(thrown.status) + (bodyCode === undefined ? "" : ` ${bodyCode}`);
    return { ok: false, retryable: thrown.status === 429 || thrown.status >= 500, code: failure };
  }
  if (value === null || value === undefined) return { ok: false, retryable: true, code: "empty answer" };
  const failure = errorCode(value);
  if (failure === undefined) return { ok: true, value };
  const upper = failure.toUpperCase();
  return { ok: false, retryable: RETRYABLE_MARKERS.some((marker) => upper.includes(marker)), code: failure };
}

/** The first code of `{"errors": [{"code", "message"}]}` (or `{"errors": {...}}`). */
function errorCode(value: unknown): string | undefined {
  const errors = fieldOf(value, "errors");
  if (errors === undefined) return undefined;
  const first = Array.isArray(errors) ? errors[0] : errors;
  const found = fieldOf(first, "code");
  return code(typeof found === "string" ? found : "error");
}

function apiError(what: string, failure: { retryable: boolean; code: string }): Error {
  return new Error(`${what} (${failure.code})${failure.retryable ? "; the next sign-in retries" : ""}`);
}
