// A deliberately WRONG drip-feed workflow, for the end-to-end tests: it sets the
// Kinde password with `{password: ...}` (the plaintext, as a careless reading of
// the tutorial suggests) instead of `hashed_password` + `hashing_method`. The
// Management API spec requires `hashed_password`, so the Kinde peer must report a
// request violation. Never deploy this.

import {
  createKindeAPI,
  WorkflowSettings,
  WorkflowTrigger,
  onExistingPasswordProvidedEvent,
} from "@kinde/infrastructure";

export const workflowSettings: WorkflowSettings = {
  id: "plaintextPassword",
  name: "Wrong: sets the plaintext password",
  trigger: WorkflowTrigger.ExistingPasswordProvided,
  failurePolicy: { action: "stop" },
  bindings: {
    "kinde.fetch": {},
    "kinde.env": {},
    "kinde.cache": {},
    url: {},
  } as WorkflowSettings["bindings"],
};

interface Auth {
  providedEmail: string;
  password: string;
  hasUserRecordInKinde: boolean;
}

export default async function Workflow(event: onExistingPasswordProvidedEvent): Promise<void> {
  const auth = (event as unknown as { context: { auth: Auth } }).context.auth;
  if (auth.hasUserRecordInKinde) return;
  const api = await createKindeAPI(event);
  const found = (await api.get({ endpoint: `users?email=${encodeURIComponent(auth.providedEmail)}` }))
    .data as { users?: { id: string }[] };
  let id = found.users?.[0]?.id;
  if (!id) {
    const created = await api.post({
      endpoint: "user",
      params: { identities: [{ type: "email", details: { email: auth.providedEmail } }] },
    } as never);
    id = (created.data as { id: string }).id;
  }
  // WRONG: the spec wants { hashed_password, hashing_method }.
  await api.put({ endpoint: `users/${id}/password`, params: { password: auth.password } } as never);
}
