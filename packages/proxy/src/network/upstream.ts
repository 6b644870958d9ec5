import { VaultError, isNullBodyStatus, isSmallBody } from '@tokenvault/protocol';
import { abortOnCancel } from './abortOnCancel.js';

/**
 * A fetch from the proxy origin to an upstream server: no cookies, no referrer, no redirects
 * followed (a redirect could carry the credential elsewhere), and a time limit on the response head
 * only, so that a long streamed body is not cut off. The cache mode defaults to `no-store`; protected
 * requests pass `default` (see VaultProxy): in Chromium `no-store` also bypasses the CORS preflight
 * cache, which cost a preflight round trip per API call. `signal` is the app's abort: it ends the
 * request until the head is in (after that, cancelling the body does).
 */
export async function upstreamFetch(url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const controller = new AbortController();
  // Set by the timer: TypeScript cannot see that assignment, so it must not narrow this to false.
  let timedOut = false as boolean;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  // The app gave up on the request: so does the proxy, while it waits for the head.
  const onAbort = (): void => {
    controller.abort();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      mode: 'cors',
      credentials: 'omit',
      redirect: 'manual',
      referrerPolicy: 'no-referrer',
      cache: init.cache ?? 'no-store',
      signal: controller.signal,
    });
  } catch (cause) {
    if (timedOut) {
      throw new VaultError('TV_UPSTREAM_TIMEOUT', { why: 'upstreamTimeout', origin: new URL(url).origin, ms: timeoutMs }, { cause });
    }
    if (signal?.aborted) throw new VaultError('TV_ABORTED', '', { cause });
    throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'upstreamUnreachable', origin: new URL(url).origin }, { cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (response.type === 'opaqueredirect') {
    throw new VaultError('TV_UPSTREAM_REDIRECT', { why: 'upstreamRedirect', origin: new URL(url).origin });
  }
  // A 204/304 has no body to cancel (and a Response with one cannot be made); a small body is read
  // whole at once (isSmallBody), so nobody can cancel it half-way.
  if (!response.body || isNullBodyStatus(response.status) || isSmallBody(response)) return response;
  // A body the app cancels also ends the upstream request (Firefox keeps it open on cancel alone).
  return new Response(abortOnCancel(response.body, controller), { status: response.status, statusText: response.statusText, headers: response.headers });
}
