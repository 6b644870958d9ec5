import { toVaultError } from '@tokenvault/protocol';
import { CheckSessionFrame } from './CheckSessionFrame.js';
import { silentAuthorize } from './silentAuthorize.js';
import { SessionWatch, type SessionWatchEvents, type SessionWatchOptions, type SessionWatchTransport } from './SessionWatch.js';

/** A watch in this page: where its frames go, and how this side redeems a code and asks about the grant. */
export interface PageSessionWatchOptions extends SessionWatchOptions {
  /** The OP's `check_session_iframe` (its discovery document). */
  checkSessionIframe: string;
  /** The OP's authorization endpoint. */
  authorizationEndpoint: string;
  /** A page on this origin, registered at the OP, that runs nothing: a re-check's answer is read from its URL. */
  redirectUri: string;
  /** The scope of a re-check. */
  scope: string;
  /** How this side redeems a re-check's code (see {@link SessionWatchTransport.redeem}). */
  redeem: SessionWatchTransport['redeem'];
  /** How this side asks the OP about the grant (see {@link SessionWatchTransport.grant}). */
  grant: SessionWatchTransport['grant'];
}

/**
 * Runs a {@link SessionWatch} in this page, the one way both sides do: the OP's
 * check_session_iframe hidden in this page (only its own window's answers at the OP's origin
 * count), each re-check in a hidden `prompt=none` frame that comes back to `redirectUri`, paused
 * while the page is hidden. Resolves once the check frame loaded and the first check is under way;
 * rejects with `TV_SESSION_CHECK_FAILED` when it does not load within `timeoutMs`. `signal` stops
 * it (before or after it started).
 *
 * @example
 * ```ts
 * const watch = await startSessionWatch({ ...options, checkSessionIframe, authorizationEndpoint, redirectUri, scope, redeem, grant }, events)
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export async function startSessionWatch(options: PageSessionWatchOptions, events: SessionWatchEvents, signal?: AbortSignal): Promise<SessionWatch> {
  const { timeoutMs, clientId, authorizationEndpoint, redirectUri, scope } = options;
  const frame = new CheckSessionFrame(options.checkSessionIframe, timeoutMs);
  const listening = new AbortController();
  const transport: SessionWatchTransport = {
    check: (message) => frame.ask(message),
    authorize: ({ idTokenHint, signal: stop }) => silentAuthorize({ authorizationEndpoint, clientId, redirectUri, scope, idTokenHint, timeoutMs, signal: stop }),
    redeem: options.redeem,
    grant: options.grant,
    hidden: () => document.visibilityState === 'hidden',
    close: () => {
      listening.abort();
      frame.remove();
    },
  };
  const watch = new SessionWatch(options, transport, events);
  signal?.addEventListener(
    'abort',
    () => {
      watch.stop();
    },
    { signal: listening.signal },
  );
  try {
    await frame.load();
  } catch (err) {
    watch.stop();
    throw toVaultError(err, 'TV_SESSION_CHECK_FAILED');
  }
  if (signal?.aborted) watch.stop();
  if (watch.state === 'stopped') return watch;
  window.addEventListener(
    'message',
    (event) => {
      frame.receive(event);
    },
    { signal: listening.signal },
  );
  document.addEventListener(
    'visibilitychange',
    () => {
      watch.visibilityChanged();
    },
    { signal: listening.signal },
  );
  watch.start();
  return watch;
}
