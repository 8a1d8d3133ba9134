// Reading and checking the workflow's environment variables, with the same
// error texts as crates/drip-feed.

import { getEnvironmentVariable } from "@kinde/infrastructure";

/** An optional variable, trimmed: unset and blank are the same. */
export function optional(name: string): string | undefined {
  const value = getEnvironmentVariable(name)?.value?.trim();
  return value ? value : undefined;
}

/** An optional secret, as given (untrimmed), or `undefined` when unset or blank. */
export function optionalSecret(name: string): string | undefined {
  const value = getEnvironmentVariable(name)?.value;
  return value && value.trim() ? value : undefined;
}

/** A variable that must be set, trimmed. */
export function required(name: string): string {
  const value = optional(name);
  if (value === undefined) throw new Error(`environment variable \`${name}\` is not set`);
  return value;
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`); unset is `fallback`. */
export function flag(name: string, fallback: boolean): boolean {
  const value = optional(name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === "true" || value === "1" || value === "yes") return true;
  if (value === "false" || value === "0" || value === "no") return false;
  throw invalid(name, "expected `true` or `false`");
}

/** The error for a malformed variable. Reasons never quote the value. */
export function invalid(name: string, reason: string): Error {
  return new Error(`environment variable \`${name}\` is invalid: ${reason}`);
}

/** Checks that `value` holds only ASCII letters, digits and the `extra` characters. */
export function checkToken(name: string, value: string, extra: string): void {
  for (const c of value) {
    if (!/[A-Za-z0-9]/.test(c) && !extra.includes(c)) {
      const allowed = Array.from(extra, (e) => ` \`${e}\``).join("");
      throw invalid(name, `use only ASCII letters, digits${allowed}`);
    }
  }
}

/**
 * Checks that a URL may carry a password: `https://`, or `http://` to a loopback host
 * (for local tests). Returns it without trailing `/`.
 */
export function secureUrl(name: string, raw: string): string {
  const url = raw.trim();
  const secure = url.startsWith("https://");
  if (!secure && !url.startsWith("http://")) throw invalid(name, "expected an https:// URL");
  const rest = url.slice(secure ? 8 : 7);
  const authority = rest.split(/[/?#]/, 1)[0];
  const host = authority.startsWith("[") ? authority.slice(1).split("]", 1)[0] : authority.split(":", 1)[0];
  if (!host || authority.includes("@")) throw invalid(name, "expected an https:// URL with a host");
  if (!secure && !isLoopback(host)) {
    throw invalid(name, "passwords are sent only over https:// (http:// is allowed for loopback hosts only)");
  }
  return url.replace(/\/+$/, "");
}

function isLoopback(host: string): boolean {
  if (host.toLowerCase() === "localhost" || host === "::1") return true;
  const parts = host.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
