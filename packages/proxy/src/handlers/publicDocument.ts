import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { upstreamFetch } from '../network/upstream.js';

/** The response headers of a public document that the app's library may use. */
const KEPT_HEADERS = ['content-type', 'cache-control', 'expires', 'last-modified', 'etag'];

/**
 * Fetches a public OP document — the discovery document or the JWKS — for the app, from the proxy
 * origin, with no credential and none of the app's headers: a client library reads these before it
 * has a token, and through the vault the OP's CORS can name the proxy origin alone (some OPs have
 * one CORS setting for every endpoint). GET and HEAD only.
 *
 * @example
 * ```ts
 * publicDocument(request, 30_000) // request.url is `${issuer}/.well-known/openid-configuration` or the jwks_uri
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function publicDocument(request: SerializedRequest, timeoutMs: number): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new VaultError('TV_INVALID_REQUEST', { why: 'publicDocumentMethod' });
  }
  const response = await upstreamFetch(request.url, { method: request.method, headers: { accept: 'application/json' } }, timeoutMs);
  const headers = new Headers();
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const body = request.method === 'HEAD' ? null : await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
