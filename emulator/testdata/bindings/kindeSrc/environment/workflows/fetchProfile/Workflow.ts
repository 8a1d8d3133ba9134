// Calls one URL with kinde.fetch and reports what came back or was thrown,
// so that tests can compare the fetch profiles.
declare const kinde: any;

type Event = { url: string; method?: string; username?: string; password?: string; format?: string };

export const workflowSettings = {
  id: "fetchProfile",
  trigger: "user:tokens_generation",
  bindings: { "kinde.fetch": {}, console: {} },
};

export default async function fetchProfile(event: Event) {
  try {
    const answer = kinde.fetch(event.url, {
      method: event.method ?? "POST",
      headers: { accept: "application/json" },
      body: { username: event.username, password: event.password },
      responseFormat: event.format ?? "json",
    });
    return { keys: Object.keys(answer).sort(), answer };
  } catch (e: any) {
    return { thrown: { isError: e instanceof Error, name: e.name, message: e.message } };
  }
}
