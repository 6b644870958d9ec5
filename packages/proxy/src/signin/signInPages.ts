import { PROTOCOL_VERSION, SIGN_IN_ERROR_PARAM, VaultError, toVaultError, type ErrorCode } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import {
  CALLBACK_PATH,
  PendingSignIns,
  authorizationUrl,
  dpopParameters,
  checkHints,
  checkReturnTo,
  completeSignIn,
  newPendingSignIn,
  type SignInHints,
} from './AuthorizationFlow.js';
import { VaultProxy } from '../routing/VaultProxy.js';
import { SIGN_IN_WINDOW_KEY, sendHandover } from './signInHandover.js';
import { SignInTickets } from './SignInTickets.js';

/** `returnTo` (or the first app origin) with the error code of a failed sign-in. */
function withError(returnTo: string | undefined, config: ResolvedProxyConfig, code: ErrorCode): string {
  const url = new URL(returnTo ?? `${config.appOrigins[0]}/`);
  url.searchParams.set(SIGN_IN_ERROR_PARAM, code);
  return url.href;
}

/** The proxy-origin windows of `target` (its proxy frame): only they receive a message addressed to this origin. */
function postToProxyFrames(target: Window, message: unknown): number {
  let count = 0;
  for (let i = 0; i < target.frames.length; i++) {
    // Addressed to this origin: a frame of any other origin is never handed the message.
    target.frames[i].postMessage(message, location.origin);
    count++;
  }
  return count;
}

/**
 * The proxy frame's side of a redirect sign-in: checks what the app chose (hints, where to come
 * back to) and mints the one-time ticket its tab takes to `/signin`. Throws `TV_INVALID_REQUEST`
 * outside sealed mode, `TV_INVALID_ARGUMENT`, `TV_RETURN_TO_REJECTED`.
 */
export async function startRedirectSignIn(config: ResolvedProxyConfig, tickets: SignInTickets, hints: SignInHints, returnTo: string | undefined): Promise<string> {
  if (config.mode !== 'sealed') throw new VaultError('TV_INVALID_REQUEST', { why: 'signInNeedsSealed' });
  checkHints(hints);
  return tickets.mint({ hints, returnTo: checkReturnTo(returnTo, config) });
}

/**
 * `/signin?ticket=…` (redirect flow, a top-level page of the proxy origin in the tab of the app):
 * takes the one-time ticket the app's proxy frame minted (startRedirectSignIn), builds the
 * authorization request itself (verifier, state and nonce in this tab's sessionStorage of the
 * proxy origin) and sends the browser to the OP. The hints and where to come back to are the
 * ticket's; the URL carries nothing else. Without a ticket of this origin's store (a page of
 * another site sent the browser here) nothing is asked of the OP: `TV_SIGN_IN_NOT_STARTED`.
 */
export async function runRedirectStart(config: ResolvedProxyConfig, proxy = new VaultProxy(config), tickets = new SignInTickets()): Promise<void> {
  const query = new URLSearchParams(location.search);
  // The ticket must not stay in the history.
  history.replaceState(null, '', location.pathname);
  let returnTo: string | undefined;
  try {
    if (config.mode !== 'sealed') throw new VaultError('TV_INVALID_REQUEST', { why: 'signInNeedsSealed' });
    const ticket = await tickets.take(query.get('ticket'));
    returnTo = ticket.returnTo;
    const hints = checkHints(ticket.hints);
    const pending = newPendingSignIn(config, `${location.origin}${CALLBACK_PATH}`, hints, returnTo);
    const url = await authorizationUrl(await proxy.metadata(), config, pending, hints, await dpopParameters(proxy, pending));
    new PendingSignIns(sessionStorage).add(pending);
    location.replace(url);
  } catch (err) {
    location.replace(withError(returnTo, config, toVaultError(err, 'TV_SIGN_IN_FAILED').code));
  }
}

/**
 * `/signin?popup` (popup flow, the sign-in window the app opened): asks the proxy frame of the
 * window that opened it for the authorization request (the frame made it and keeps its verifier,
 * state and nonce), then goes to the OP. Where the engine partitions the proxy frame's storage by
 * the top-level page (WebKit), only the frame can redeem the code, so the code must go back to it.
 */
export function runPopupStart(status: HTMLElement | null): void {
  const opener = window.opener as Window | null;
  if (!opener) {
    if (status) status.textContent = 'Token Vault: this sign-in window has lost the app that opened it.';
    return;
  }
  let tries = 0;
  const ask = setInterval(() => {
    if (++tries > 100 || opener.closed) {
      clearInterval(ask);
      if (status) status.textContent = 'Token Vault: the app did not start a sign-in.';
      return;
    }
    postToProxyFrames(opener, { v: PROTOCOL_VERSION, type: 'authorize-url-request' });
  }, 100);
  window.addEventListener('message', (event) => {
    // Only a window of this origin (the proxy frame) answers; nothing else may steer this window.
    if (event.origin !== location.origin) return;
    const data = event.data as { v?: unknown; type?: unknown; url?: unknown } | null;
    if (data?.v !== PROTOCOL_VERSION || data.type !== 'authorize-url' || typeof data.url !== 'string' || !/^https?:\/\//.test(data.url)) return;
    clearInterval(ask);
    // This window's mark, kept in its own sessionStorage across the OP's pages: should the OP cut it
    // off from the app (COOP), its callback knows it is a sign-in window and of which sign-in.
    const state = new URL(data.url).searchParams.get('state');
    try {
      if (state) sessionStorage.setItem(SIGN_IN_WINDOW_KEY, state);
    } catch {
      // No sessionStorage: the opener remains the only way back.
    }
    location.replace(data.url);
  });
}

/** The sign-in window's closing words: a small page of its own, never the app. */
function finishSignInWindow(status: HTMLElement | null, text: string): void {
  document.title = 'Token Vault: sign-in';
  if (status) status.textContent = text;
  // A window a script opened may close itself; where the browser refuses, the text stays.
  setTimeout(() => {
    window.close();
  }, 300);
}

/**
 * `/callback`, the redirect URI of the sealed client: the code arrives here, on the proxy origin,
 * and never at the app. The code leaves the history at once. A sign-in of this tab (redirect flow)
 * is checked and redeemed here; in a sign-in window (popup flow) the response goes to the opener's
 * proxy frame, which holds the state. An unknown, used or expired state is refused, nothing stored.
 */
export async function runCallback(config: ResolvedProxyConfig, status: HTMLElement | null, proxy?: VaultProxy): Promise<void> {
  const response = new URLSearchParams(location.search);
  // The code must not stay in the session history (nor in a URL anything else could read later).
  history.replaceState(null, '', CALLBACK_PATH);
  const state = response.get('state');
  const tab = new PendingSignIns(sessionStorage);
  if (tab.has(state)) {
    let returnTo: string | undefined;
    try {
      const pending = tab.take(state);
      returnTo = pending.returnTo;
      await completeSignIn(proxy ?? new VaultProxy(config), pending, response);
      location.replace(returnTo ?? `${config.appOrigins[0]}/`);
    } catch (err) {
      location.replace(withError(returnTo, config, toVaultError(err, 'TV_SIGN_IN_FAILED').code));
    }
    return;
  }
  // A sign-in window's mark: the state it went to the OP with (runPopupStart).
  let marked: string | null = null;
  try {
    marked = window.parent === window ? sessionStorage.getItem(SIGN_IN_WINDOW_KEY) : null;
  } catch {
    // No sessionStorage: not a sign-in window this page can recognise.
  }
  const opener = window.parent === window ? (window.opener as Window | null) : null;
  if (opener && !opener.closed) {
    // With the window's own state: the frame can tell the sign-in this response ends, even when the
    // response's state is not that one.
    const message = { v: PROTOCOL_VERSION, type: 'authorization-response', query: response.toString(), ...(marked !== null ? { windowState: marked } : {}) };
    const sent = postToProxyFrames(opener, message);
    if (sent > 0) {
      window.close();
      return;
    }
  }
  // A sign-in window the OP cut off from the app (COOP: no opener): the response goes over the proxy
  // origin's own channel to the frame that holds its state. This window never loads the app.
  if (marked !== null && state !== null && marked === state) {
    sessionStorage.removeItem(SIGN_IN_WINDOW_KEY);
    if (status) status.textContent = 'Token Vault: completing the sign-in…';
    const how = await sendHandover(response.toString(), state);
    finishSignInWindow(
      status,
      how === 'channel' ? 'Token Vault: signed in. You can close this window.' : 'Token Vault: the sign-in was handed to the app. You can close this window.',
    );
    return;
  }
  if (status) status.textContent = 'Token Vault: this sign-in is unknown, already used or expired (TV_INVALID_STATE).';
  // Top level: back to the app, with the error's code; but never in a sign-in window (its response
  // is not its own sign-in's). In a frame: nothing to go back to.
  if (window.parent === window && marked === null) location.replace(withError(undefined, config, 'TV_INVALID_STATE'));
}
