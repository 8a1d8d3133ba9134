// Dotted binding names install only what they name.
export const workflowSettings = {
  id: "dotted",
  trigger: "user:tokens_generation",
  bindings: { "kinde.env.get": {}, "kinde.secureFetch": {}, "kinde.teleport": {} },
};

export default async function () {
  return {
    kinde: Object.keys(kinde).sort(),
    env: Object.keys(kinde.env).sort(),
    value: kinde.env.get("A").value,
    fetch: typeof kinde.fetch,
    console: typeof console,
  };
}
