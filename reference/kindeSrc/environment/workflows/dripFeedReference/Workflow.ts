// Drip-feed (just-in-time) user migration, written by hand in TypeScript against the
// real @kinde/infrastructure API and the Kinde Management API spec.
//
// This is the baseline our Rust workflow (crates/drip-feed) is compared with, for
// behaviour in the emulator tests (emulator/e2e/reference_*_test.go) and for speed in
// the benchmarks (scripts/bench, BENCHMARKS.md). It is not deployed: it lives outside
// the root kindeSrc, because Kinde allows one workflow per trigger.
//
// It reads the same environment variables as crates/drip-feed (its crate docs list
// them per provider: LEGACY_PROVIDER = generic | auth0 | cognito | azure_b2c), treats
// the providers' answers the same way and resolves with the same outcomes:
// {"outcome": "already_in_kinde" | "migrated" (+ user_id, created) | "must_reset" |
// "rejected" | "locked" | "retry_later"}. Misconfiguration, and the Management API
// failing after the password was verified, reject the run (failure policy: stop).

import {
  invalidateFormField,
  onExistingPasswordProvidedEvent,
  WorkflowSettings,
  WorkflowTrigger,
} from "@kinde/infrastructure";

import { migrate } from "./kinde";
import { loadProvider } from "./providers";

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

/** The form field Kinde's sign-in widget shows password errors on. */
const PASSWORD_FIELD = "p_password";
/** Shown for a wrong password, an unknown user and a locked account alike. */
const REJECTED_MESSAGE = "Incorrect email or password.";
/** Shown when the legacy provider requires a new password first. */
const RESET_MESSAGE = 'Your password must be reset. Choose "Forgot password" to set a new one.';
/** Shown when the legacy provider could not be asked; the next sign-in retries. */
const RETRY_MESSAGE = "We could not check your password just now. Please try again in a moment.";

/** How a run ended. */
export type Outcome =
  | { outcome: "already_in_kinde" | "must_reset" | "rejected" | "locked" | "retry_later" }
  | { outcome: "migrated"; user_id: string; created: boolean };

/** The fields Kinde sends with this trigger (its published type lists only `password`). */
interface ExistingPasswordEvent {
  request?: { ip?: string };
  context: {
    auth: {
      providedEmail: string;
      password: string;
      hashedPassword: string;
      hasUserRecordInKinde: boolean;
    };
  };
}

export default async function Workflow(event: onExistingPasswordProvidedEvent): Promise<Outcome> {
  const { request, context } = event as unknown as ExistingPasswordEvent;
  const auth = context.auth;
  if (auth.hasUserRecordInKinde) return { outcome: "already_in_kinde" };
  const email = auth.providedEmail.trim();
  if (!email) throw new Error("invalid event at `context.auth.providedEmail`: empty");

  const provider = loadProvider();
  const verdict = await provider.check({ email, password: auth.password, ip: request?.ip });
  const name = provider.name;
  switch (verdict.kind) {
    case "verified": {
      const step = verdict.step ? ` (it asked for ${verdict.step} next; Kinde takes over)` : "";
      console.info(`drip-feed: ${name} verified the password${step}`);
      const migrated = await migrate(event, email, auth.hashedPassword, verdict.profile);
      console.info(`drip-feed: migrated Kinde user ${migrated.userId} (${migrated.created ? "created" : "found"})`);
      return { outcome: "migrated", user_id: migrated.userId, created: migrated.created };
    }
    case "must_reset":
      console.warn(`drip-feed: ${name} requires a password reset (${verdict.code}); not migrated`);
      return refuse("must_reset", RESET_MESSAGE);
    case "rejected":
      console.info(`drip-feed: ${name} rejected the credentials (${verdict.code}); not migrated`);
      return refuse("rejected", REJECTED_MESSAGE);
    case "locked":
      console.warn(`drip-feed: ${name} reports the account locked or blocked (${verdict.code}); not migrated`);
      return refuse("locked", REJECTED_MESSAGE);
    case "transient":
      console.warn(`drip-feed: ${name} could not be asked (${verdict.code}); not migrated, the next sign-in retries`);
      return refuse("retry_later", RETRY_MESSAGE);
    case "misconfigured":
      console.error(`drip-feed: ${verdict.message}`);
      throw new Error(verdict.message);
  }
}

/** Shows `message` on the password field and resolves with `outcome`. */
function refuse(outcome: "must_reset" | "rejected" | "locked" | "retry_later", message: string): Outcome {
  invalidateFormField(PASSWORD_FIELD, message);
  return { outcome };
}
