import { discover as discoverWith, type ProviderMetadata } from '@tokenvault/config';
import { VaultError } from '@tokenvault/protocol';

export type { ProviderMetadata };

/**
 * The OP's discovery document, checked (see `discover` of @tokenvault/config), fetched from the
 * proxy origin: no cookies (the OP is on another origin), no referrer, a redirect refused.
 *
 * The request is the one the proxy page's preload asks for (`<link rel="preload" as="fetch"
 * crossorigin="anonymous" referrerpolicy="no-referrer">`, written by @tokenvault/build's
 * renderProxyPage) so that the browser hands this fetch the preloaded response: a CORS GET with
 * credentials `same-origin` (none to another origin; the upstream fetch's `omit` would not match
 * the preload), no header of its own, the HTTP cache's default mode. A preload follows a redirect,
 * so a redirected response is refused here (`TV_UPSTREAM_REDIRECT`), as the upstream fetch refuses one.
 */
export function discover(issuer: string, timeoutMs: number): Promise<ProviderMetadata> {
  return discoverWith(issuer, timeoutMs, fetchDiscovery);
}

async function fetchDiscovery(url: string, timeoutMs: number): Promise<Response> {
  const origin = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'same-origin', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'TimeoutError') {
      throw new VaultError('TV_UPSTREAM_TIMEOUT', { why: 'upstreamTimeout', origin, ms: timeoutMs }, { cause });
    }
    throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'upstreamUnreachable', origin }, { cause });
  }
  if (response.redirected) throw new VaultError('TV_UPSTREAM_REDIRECT', { why: 'upstreamRedirect', origin });
  return response;
}
