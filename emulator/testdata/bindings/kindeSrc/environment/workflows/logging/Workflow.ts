// Logs at every level, including values that must be redacted.
declare const kinde: any;

export const workflowSettings = {
  id: "logging",
  trigger: "user:pre_registration",
  bindings: { console: {}, "kinde.env": {} },
};

export default async function logging(event: { note: string }) {
  const key = kinde.env.get("API_KEY");
  console.log("log", 1, { secret: key.isSecret });
  console.info("info with key", key.value);
  console.warn("warn", event.note);
  console.error("error", [key.value]);
  console.debug("debug");
  throw new Error(`failed with ${key.value}`);
}
