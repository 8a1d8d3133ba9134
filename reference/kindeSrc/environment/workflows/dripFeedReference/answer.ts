// A provider's answer, whichever way the host delivered it.
//
// `fetch` of @kinde/infrastructure gives the body only. Hosts that throw on a non-2xx
// status throw `kinde.fetch: HTTP <status> from <METHOD> <url>: <body>`; that message
// is read back into the status and body, so providers classify the same way under
// every host.

import { fetch, secureFetch } from "@kinde/infrastructure";

/** What a provider said. */
export interface Answer {
  /** HTTP status, when the host reported it. */
  status?: number;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** The body as text. */
  text: string;
}

/** An answer, or `undefined` when the request got none (timeout, refused, ...). */
export type Reply = Answer | undefined;

/** A request to a provider. */
export interface ProviderRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Send through `kinde.secureFetch` (body encrypted with the workflow's key). */
  secure?: boolean;
}

/** POSTs `request` and returns the answer. */
export async function post(request: ProviderRequest): Promise<Reply> {
  const init = { method: "POST", headers: request.headers, body: request.body } as const;
  try {
    if (request.secure) {
      const { data } = await secureFetch<{ data: unknown }>(request.url, { ...init, responseFormat: "json" } as never);
      return { json: data ?? undefined, text: data == null ? "" : JSON.stringify(data) };
    }
    const { data } = await fetch<{ data: unknown }>(request.url, { ...init, responseFormat: "text" } as never);
    const text = typeof data === "string" ? data : "";
    return { json: parseJson(text), text };
  } catch (error) {
    const thrown = parseThrownHttp(error instanceof Error ? error.message : String(error));
    return thrown && { status: thrown.status, json: parseJson(thrown.body), text: thrown.body };
  }
}

/** A string field of the answer's JSON object. */
export function field(answer: Answer, name: string): string | undefined {
  const value = fieldOf(answer.json, name);
  return typeof value === "string" ? value : undefined;
}

/** A field of a JSON object (`undefined` for anything else). */
export function fieldOf(json: unknown, name: string): unknown {
  return typeof json === "object" && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)[name]
    : undefined;
}

/** Whether the status is known to be other than 2xx. */
export function isKnownFailure(answer: Answer): boolean {
  return answer.status !== undefined && (answer.status < 200 || answer.status > 299);
}

/** Reads `kinde.<binding>: HTTP <status> from <METHOD> <url>: <body>`. */
export function parseThrownHttp(message: string): { status: number; body: string } | undefined {
  const match = /^kinde\.[^:]*: HTTP (\d{3}) from ([\s\S]*)$/.exec(message);
  if (!match) return undefined;
  const rest = match[2];
  const split = rest.indexOf(": ");
  return { status: Number(match[1]), body: split < 0 ? "" : rest.slice(split + 2) };
}

/** A short, bounded code for log lines, taken from a provider's error field. */
export function code(text: string): string {
  return Array.from(text).slice(0, 64).join("");
}

/** `HTTP <status>` or `no status`, for log lines. */
export function statusCode(status: number | undefined): string {
  return status === undefined ? "no status" : `HTTP ${status}`;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
