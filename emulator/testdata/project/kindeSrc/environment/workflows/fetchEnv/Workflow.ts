import { greeting } from "./greeting";

declare const kinde: any;

type PasswordEvent = {
  context: { auth: { providedEmail: string; password: string } };
};

type CheckResponse = { ok: boolean; email: string };

export const workflowSettings = {
  id: "fetchEnv",
  name: "Fetch and env fixture",
  trigger: "user:existing_password_provided",
  failurePolicy: { action: "stop" },
  bindings: {
    "kinde.fetch": {},
    "kinde.env": {},
    console: {},
    url: {},
  },
};

export default async function handle(event: PasswordEvent) {
  const base: string = kinde.env.get("API_URL").value;
  const token = kinde.env.getEnvironmentVariable("API_TOKEN");
  const missing = kinde.env.get("NOT_SET");
  const { providedEmail, password } = event.context.auth;

  console.log(greeting(providedEmail), { attempt: 1 });
  console.warn("token is secret:", token.isSecret);

  const check = kinde.fetch(`${base}/check?source=emulator`, {
    method: "POST",
    headers: { authorization: `Bearer ${token.value}` },
    body: { email: providedEmail, password },
    responseFormat: "json",
  });
  const body = check.json as CheckResponse;

  const form = kinde.fetch(`${base}/form`, {
    method: "post",
    headers: {},
    body: new URLSearchParams({ grant_type: "password", username: providedEmail }),
    responseFormat: "text",
  });

  console.error("done", 2);
  return {
    ok: body.ok,
    echoed: body.email,
    checkText: check.text,
    formJson: form.json,
    formText: form.text,
    missing: missing === undefined ? "undefined" : missing,
  };
}
