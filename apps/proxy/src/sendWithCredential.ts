import type { SerializedRequest } from '@tokenvault/protocol';
import { upstreamFetch } from './upstream.js';

/**
 * Performs a request that matched a rule, with the credential in the one header where it belongs.
 * The app's own value of that header (a "Bearer REDACTED" placeholder, say) is replaced, never
 * merged; nothing else of the request is touched.
 *
 * @example
 * ```ts
 * sendWithCredential(request, 'authorization', `Bearer ${accessToken}`, 30_000)
 * ```
 */
export function sendWithCredential(request: SerializedRequest, header: string, value: string, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const headers = new Headers();
  for (const [name, headerValue] of request.headers) {
    if (name.toLowerCase() !== header) headers.append(name, headerValue);
  }
  headers.set(header, value);
  // The browser's default cache mode, as the app's own fetch would use: Chromium skips its CORS
  // preflight cache for no-store, no-cache and reload, which costs a preflight round trip per request.
  return upstreamFetch(request.url, { method: request.method, headers, body: request.body, cache: 'default' }, timeoutMs, signal);
}
