import type { SerializedRequest } from '@tokenvault/protocol';
import { upstreamFetch } from './upstream.js';

/**
 * Performs a request that matched a rule, with the credential in the headers where it belongs
 * (`credential` maps lower-case header names to values: the Authorization header, and the `DPoP`
 * proof that goes with a DPoP-bound token). The app's own values of those headers (a "Bearer
 * REDACTED" placeholder, a proof of its own) are replaced, never merged; nothing else of the
 * request is touched.
 *
 * @example
 * ```ts
 * sendWithCredential(request, { authorization: `Bearer ${accessToken}` }, 30_000)
 * sendWithCredential(request, { authorization: `DPoP ${accessToken}`, dpop: proof }, 30_000)
 * ```
 */
export function sendWithCredential(request: SerializedRequest, credential: Readonly<Record<string, string>>, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const headers = new Headers();
  for (const [name, headerValue] of request.headers) {
    if (!Object.hasOwn(credential, name.toLowerCase())) headers.append(name, headerValue);
  }
  for (const [name, value] of Object.entries(credential)) headers.set(name, value);
  // The browser's default cache mode, as the app's own fetch would use: Chromium skips its CORS
  // preflight cache for no-store, no-cache and reload, which costs a preflight round trip per request.
  return upstreamFetch(request.url, { method: request.method, headers, body: request.body, cache: 'default' }, timeoutMs, signal);
}
