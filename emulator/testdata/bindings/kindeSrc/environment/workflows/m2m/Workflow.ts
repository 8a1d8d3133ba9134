// Gets an M2M token the way @kinde/infrastructure's createKindeAPI does
// (kinde.cache.jwtToken with a JWKS validation and a client-credentials
// refresh), then calls the Management API with it.
declare const kinde: any;

type Event = { context: { domains: { kindeDomain: string } }; asyncRefresh?: boolean };

export const workflowSettings = {
  id: "m2m",
  trigger: "m2m:token_generation",
  bindings: { "kinde.fetch": {}, "kinde.cache": {}, "kinde.env": {}, url: {}, console: {} },
};

function requestToken(domain: string): string {
  const answer = kinde.fetch(`${domain}/oauth2/token`, {
    method: "POST",
    responseFormat: "json",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      audience: `${domain}/api`,
      grant_type: "client_credentials",
      client_id: kinde.env.get("KINDE_WF_M2M_CLIENT_ID").value,
      client_secret: kinde.env.get("KINDE_WF_M2M_CLIENT_SECRET").value,
    }),
  });
  if (!answer.json?.access_token) throw new Error("no access token returned");
  return answer.json.access_token;
}

export default async function m2m(event: Event) {
  const domain = event.context.domains.kindeDomain;
  const token: string = await kinde.cache.jwtToken("internal_m2m_access_token", {
    validation: { key: { type: "jwks", jwks: { url: `${domain}/.well-known/jwks.json` } } },
    onMissingOrExpired: event.asyncRefresh ? async () => requestToken(domain) : () => requestToken(domain),
  });
  const users = kinde.fetch(`${domain}/api/v1/users?email=ada%40example.com`, {
    method: "GET",
    responseFormat: "json",
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
  });
  console.log("token used", token);
  return { users: users.json };
}
