// Declares only kinde.fetch: everything else must be undefined.
declare const kinde: any;

export const workflowSettings = {
  id: "absent",
  trigger: "user:new_password_provided",
  bindings: { "kinde.fetch": {} },
};

export default async function absent() {
  const names = ["fetch", "secureFetch", "env", "cache", "widget", "auth", "idToken", "accessToken", "m2mToken", "mfa", "plan", "localization"];
  const types: Record<string, string> = {};
  for (const name of names) types[name] = typeof kinde[name];
  types.console = typeof console;
  types.URLSearchParams = typeof URLSearchParams;
  return types;
}
