// Posts an object and a string through kinde.secureFetch.
declare const kinde: any;

export const workflowSettings = {
  id: "secure",
  trigger: "user:post_authentication",
  bindings: { "kinde.secureFetch": {}, "kinde.env": {} },
};

export default async function secure(event: { userId: string }) {
  const base = kinde.env.get("SECURE_URL").value;
  const first = kinde.secureFetch(`${base}/object`, {
    method: "POST",
    headers: { "x-trace": "t1" },
    body: { userId: event.userId, note: "héllo" },
  });
  const second = kinde.secureFetch(`${base}/string`, { method: "POST", headers: {}, body: "plain text body" });
  return { first: first.json, second: second.text };
}
