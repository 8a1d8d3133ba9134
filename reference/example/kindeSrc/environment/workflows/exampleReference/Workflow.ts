// The smallest useful workflow, written by hand in TypeScript against the real
// @kinde/infrastructure API: the twin of the Rust example (crates/example-workflow,
// id `rustExample`). On `user:existing_password_provided` it reads an endpoint from
// the environment, POSTs the sign-in's e-mail to it with `kinde.fetch`, logs what it
// answered and resolves with its message.
//
// It is the benchmarks' floor (emulator/bench, BENCHMARKS.md): the least work a
// workflow does, so what remains of the Rust one's cost is its fixed overhead. It
// reads the same environment variables, sends the same request, logs the same lines
// (prefixed with its own name), resolves with the same value and fails with the same
// errors as the Rust example; the Rust one's deliberate panic is a thrown Error here.
// It is not deployed: it lives in its own project, outside the root kindeSrc.

import {
  fetch,
  getEnvironmentVariable,
  onExistingPasswordProvidedEvent,
  WorkflowSettings,
  WorkflowTrigger,
} from "@kinde/infrastructure";

export const workflowSettings: WorkflowSettings = {
  id: "exampleReference",
  name: "Example (TypeScript reference)",
  trigger: WorkflowTrigger.ExistingPasswordProvided,
  failurePolicy: { action: "continue" },
  bindings: {
    "kinde.fetch": {},
    "kinde.env": {},
    console: {},
  },
};

/** Names the endpoint the workflow calls. */
export const ENDPOINT_VAR = "EXAMPLE_ENDPOINT_URL";
/** When set to `1`, the workflow throws (the Rust example panics). */
export const PANIC_VAR = "EXAMPLE_PANIC";

/** What the workflow resolves with. */
export interface Outcome {
  /** The endpoint's `message`. */
  message: string;
  /** Copied from the event. */
  hasUserRecordInKinde: boolean;
}

/** The fields of the event this workflow reads (the published type lacks them). */
interface ExistingPasswordEvent {
  request?: { userAgent?: string };
  context: { auth: { providedEmail: string; hasUserRecordInKinde: boolean } };
}

export default async function Workflow(event: onExistingPasswordProvidedEvent): Promise<Outcome> {
  const { request, context } = event as unknown as ExistingPasswordEvent;
  const auth = context.auth;
  if (getEnvironmentVariable(PANIC_VAR)?.value === "1") {
    throw new Error(`deliberate panic for ${auth.providedEmail}`);
  }
  const endpoint = getEnvironmentVariable(ENDPOINT_VAR)?.value;
  if (!endpoint) throw new Error(`environment variable \`${ENDPOINT_VAR}\` is not set`);
  console.info(`example reference: checking ${auth.providedEmail}`);

  const { data } = await fetch<{ data: unknown }>(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    // A JSON string: the published type allows only URLSearchParams, kinde.fetch sends strings as they are.
    body: JSON.stringify({ email: auth.providedEmail, userAgent: request?.userAgent ?? null }) as never,
    responseFormat: "json",
  });
  const message = (data as { message?: unknown } | null | undefined)?.message;
  if (typeof message !== "string") throw new Error("endpoint answered without a string `message`");
  console.info(`example reference: endpoint answered ${utf8Length(message)} bytes`);

  return { message, hasUserRecordInKinde: auth.hasUserRecordInKinde };
}

/** The length of `text` in UTF-8 bytes (goja has no TextEncoder). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if ((unit & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}
