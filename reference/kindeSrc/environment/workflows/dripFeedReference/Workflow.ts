// Drip-feed (just-in-time) user migration, written by hand in TypeScript against the
// real @kinde/infrastructure API and the Kinde Management API spec.
//
// This is the baseline our Rust workflow (crates/drip-feed) is compared with, for
// behaviour in the emulator tests and for speed in the benchmarks. It is not
// deployed: it lives outside the root kindeSrc, because Kinde allows one workflow
// per trigger.
//
// Legacy side (the "generic" provider of crates/drip-feed): POST {email, password}
// as JSON to LEGACY_VALIDATION_URL, through kinde.secureFetch when
// LEGACY_USE_SECURE_FETCH is "true". The endpoint answers
// {"result": "verified" | "mfa_required" | "reset_required" | "rejected" | "locked",
//  "given_name"?, "family_name"?} whatever the HTTP status.

import {
  createKindeAPI,
  fetch,
  getEnvironmentVariable,
  invalidateFormField,
  secureFetch,
  WorkflowSettings,
  WorkflowTrigger,
  onExistingPasswordProvidedEvent,
} from "@kinde/infrastructure";

export const workflowSettings: WorkflowSettings = {
  id: "dripFeedReference",
  name: "Drip-feed migration (TypeScript reference)",
  trigger: WorkflowTrigger.ExistingPasswordProvided,
  failurePolicy: { action: "stop" },
  bindings: {
    "kinde.fetch": {},
    "kinde.secureFetch": {},
    "kinde.env": {},
    "kinde.widget": {},
    "kinde.cache": {},
    url: {},
    console: {},
  } as WorkflowSettings["bindings"],
};

/** The fields Kinde sends with this trigger (its published type lists only `password`). */
interface ExistingPasswordEvent {
  context: {
    domains: { kindeDomain: string };
    auth: {
      providedEmail: string;
      password: string;
      hashedPassword: string;
      hasUserRecordInKinde: boolean;
    };
  };
}

/** One message for a wrong password and an unknown user, so nobody learns which. */
const GENERIC_REJECTION = "Incorrect email or password";
const LOCKED_MESSAGE = "This account cannot sign in right now. Contact support.";
/** Attempts per Management API step (immediate retries: goja has no timers). */
const ATTEMPTS = 3;

type LegacyResult = "verified" | "mfa_required" | "reset_required" | "rejected" | "locked";

interface LegacyAnswer {
  result?: LegacyResult;
  given_name?: string;
  family_name?: string;
}

interface ApiUser {
  id?: string;
}

interface ApiAnswer {
  id?: string;
  users?: ApiUser[];
  errors?: { code?: string; message?: string }[];
}

type KindeAPI = Awaited<ReturnType<typeof createKindeAPI>>;

export default async function Workflow(event: onExistingPasswordProvidedEvent): Promise<void> {
  const { auth, domains } = (event as unknown as ExistingPasswordEvent).context;
  if (auth.hasUserRecordInKinde) return;

  const url = getEnvironmentVariable("LEGACY_VALIDATION_URL")?.value;
  if (!url) throw new Error("environment variable `LEGACY_VALIDATION_URL` is not set");
  const useSecureFetch = getEnvironmentVariable("LEGACY_USE_SECURE_FETCH")?.value === "true";

  const answer = await checkPassword(url, useSecureFetch, auth.providedEmail, auth.password);
  switch (answer?.result) {
    case "verified":
    case "mfa_required":
      break;
    case "rejected":
      invalidateFormField("p_password", GENERIC_REJECTION);
      return;
    case "locked":
      console.warn("drip-feed: legacy account is locked; not migrated");
      invalidateFormField("p_password", LOCKED_MESSAGE);
      return;
    case "reset_required":
      console.warn("drip-feed: legacy account must reset its password; not migrated");
      return;
    default:
      console.warn("drip-feed: legacy check failed; the next sign-in retries");
      return;
  }

  const api = await createKindeAPI(event);
  const userId = await findOrCreateUser(api, auth.providedEmail, answer);
  if (!userId) {
    console.error("drip-feed: could not create the Kinde user; the next sign-in retries");
    return;
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const set = await call(() =>
      api.put({
        endpoint: `users/${encodeURIComponent(userId)}/password`,
        params: { hashed_password: auth.hashedPassword, hashing_method: "bcrypt" },
      } as never),
    );
    if (set && !set.errors) {
      console.info(`drip-feed: migrated user ${userId} from ${domains.kindeDomain}`);
      return;
    }
  }
  console.error(`drip-feed: could not set the password of ${userId}; the next sign-in retries`);
}

/** Asks the legacy system; `undefined` when it did not answer with a verdict. */
async function checkPassword(
  url: string,
  useSecureFetch: boolean,
  email: string,
  password: string,
): Promise<LegacyAnswer | undefined> {
  const send = useSecureFetch ? secureFetch : fetch;
  try {
    const { data } = await send<{ data: LegacyAnswer }>(url, {
      method: "POST",
      responseFormat: "json",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }),
    } as never);
    return data;
  } catch (error) {
    // Some hosts throw on a non-2xx answer; the verdict is then in the error's body.
    return bodyOfThrown(error) as LegacyAnswer | undefined;
  }
}

/** Looks the user up by e-mail first, so a retried migration never creates a second user. */
async function findOrCreateUser(
  api: KindeAPI,
  email: string,
  legacy: LegacyAnswer,
): Promise<string | undefined> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await call(() => api.get({ endpoint: `users?email=${encodeURIComponent(email)}` }));
    if (!found || found.errors) continue;
    const existing = found.users?.[0]?.id;
    if (existing) return existing;

    const profile: Record<string, string> = {};
    if (legacy.given_name) profile.given_name = legacy.given_name;
    if (legacy.family_name) profile.family_name = legacy.family_name;
    const created = await call(() =>
      api.post({
        endpoint: "user",
        params: {
          profile,
          identities: [{ type: "email", is_verified: true, details: { email } }],
        },
      } as never),
    );
    if (created?.id) return created.id;
    // The create failed or its answer was lost: the next lookup tells which.
  }
  return undefined;
}

/** Runs a Management API call; `undefined` when it threw. */
async function call(request: () => Promise<{ data: unknown }>): Promise<ApiAnswer | undefined> {
  try {
    return ((await request()).data ?? undefined) as ApiAnswer | undefined;
  } catch (error) {
    return bodyOfThrown(error) as ApiAnswer | undefined;
  }
}

/** The JSON body carried by a `kinde.fetch` error, when the host put one there. */
function bodyOfThrown(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const start = message.indexOf("{");
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start));
  } catch {
    return undefined;
  }
}
