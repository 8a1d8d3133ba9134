// AWS Signature Version 4 for one JSON POST, hashed with @noble/hashes.

import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

import { utf8Encode } from "./utf8";

const ALGORITHM = "AWS4-HMAC-SHA256";

/** IAM credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request to sign: its path is `/` with no query. */
export interface SignableRequest {
  method: string;
  /** Headers that are sent and signed (`Host` included). */
  headers: Record<string, string>;
  body: string;
}

/**
 * The headers to add to `request` (`X-Amz-Date`, `X-Amz-Security-Token` when there is a
 * session token, `Authorization`), signed for `region` and `service` at `now`.
 */
export function signV4(
  request: SignableRequest,
  credentials: AwsCredentials,
  region: string,
  service: string,
  now: Date,
): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = amzDate.slice(0, 8);
  const added: Record<string, string> = {};
  if (credentials.sessionToken) added["X-Amz-Security-Token"] = credentials.sessionToken;
  added["X-Amz-Date"] = amzDate;

  const all = { ...request.headers, ...added };
  const names = Object.keys(all)
    .map((name) => [name.toLowerCase(), all[name].trim().replace(/\s+/g, " ")] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = names.map(([name, value]) => `${name}:${value}\n`).join("");
  const signedHeaders = names.map(([name]) => name).join(";");
  const canonicalRequest = [
    request.method,
    "/",
    "",
    canonicalHeaders,
    signedHeaders,
    bytesToHex(sha256(utf8Encode(request.body))),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, bytesToHex(sha256(utf8Encode(canonicalRequest)))].join("\n");

  let key = hmac(sha256, utf8Encode(`AWS4${credentials.secretAccessKey}`), utf8Encode(date));
  for (const part of [region, service, "aws4_request"]) key = hmac(sha256, key, utf8Encode(part));
  const signature = bytesToHex(hmac(sha256, key, utf8Encode(stringToSign)));

  added.Authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}
