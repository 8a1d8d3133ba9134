// Names from a legacy ID token's claims. The token came straight from the provider
// over HTTPS in answer to this request, so its signature is not checked: only
// `given_name` and `family_name` are read. An unreadable token yields no names.

import { base64urlnopad } from "@scure/base";

import { fieldOf } from "./answer";
import { utf8Decode } from "./utf8";
import type { Profile } from "./verdict";

/** The names in a JWT's payload; empty when the token or a claim is unreadable. */
export function profileFromIdToken(token: string | undefined): Profile {
  const claims = token === undefined ? undefined : payloadOf(token);
  return { given_name: nameClaim(claims, "given_name"), family_name: nameClaim(claims, "family_name") };
}

function payloadOf(token: string): unknown {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const text = utf8Decode(base64urlnopad.decode(payload.replace(/=+$/, "")));
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function nameClaim(claims: unknown, name: string): string | undefined {
  const value = fieldOf(claims, name);
  const trimmed = typeof value === "string" ? value.trim() : "";
  return trimmed ? trimmed : undefined;
}
