import { PROTOCOL_VERSION } from '@tokenvault/protocol';

/**
 * The hand-over of a popup sign-in's authorization response when the sign-in window has lost its
 * opener: an OP page sent `Cross-Origin-Opener-Policy: same-origin`, which severs the window from
 * the app's tab in every engine. Both ways are the proxy origin's own; no page of the app origin
 * can read either:
 *
 * - a BroadcastChannel of the proxy origin (Chromium, Firefox: the proxy frame under a same-site app
 *   shares it with a top-level proxy page); the frame that holds the state says so on the channel;
 * - where nothing answers there (WebKit partitions a frame's BroadcastChannel and storage by the
 *   top-level page, measured), a short-lived cookie of the proxy origin, which the proxy frame can
 *   read (WebKit shares the first-party cookie jar with the same-site frame, measured) and polls
 *   while a sign-in window of its own is out.
 *
 * Whatever comes this way is only a candidate: the frame takes it only for a state it issued and
 * still holds (once), redeems it with the verifier it never gave away, and ignores everything else
 * silently (every proxy frame of every tab hears the channel; only one holds the state).
 */

/** The proxy origin's BroadcastChannel of sign-in hand-overs. */
export const HANDOVER_CHANNEL = 'tokenvault:sign-in';
/** The proxy origin's cookie of a hand-over (WebKit). A code without its verifier redeems nothing. */
export const HANDOVER_COOKIE = 'tokenvault_sign_in';
/** How long the cookie lives: the frame polls every {@link HANDOVER_POLL_MS}, so seconds are plenty. */
const COOKIE_MAX_AGE_S = 30;
/** How long the callback waits for a frame to confirm on the channel before it writes the cookie. */
const CHANNEL_WAIT_MS = 1500;
/** How often a proxy frame with a sign-in window out reads the cookie. */
export const HANDOVER_POLL_MS = 250;
/** The largest authorization response handed over (the message path's limit too). */
export const HANDOVER_MAX_QUERY = 16_384;
/** The sign-in window's marker in its own sessionStorage (proxy origin): the state it went to the OP with. */
export const SIGN_IN_WINDOW_KEY = 'tokenvault:sign-in-window';

/** What went where: `'channel'` (a proxy frame confirmed) or `'cookie'` (written; no frame can confirm it). */
export type HandoverResult = 'channel' | 'cookie';

/**
 * The callback's side: hands `query` (the authorization response) to the proxy frame that holds its
 * state, without `window.opener`. Resolves once a frame confirmed on the channel, or once the
 * cookie is written when none did within {@link CHANNEL_WAIT_MS}.
 */
export function sendHandover(query: string, state: string): Promise<HandoverResult> {
  return new Promise((resolve) => {
    let channel: BroadcastChannel | null = null;
    const timer = setTimeout(() => {
      channel?.close();
      // The query is URL-encoded; the cookie value must not carry ';' or spaces.
      if (query.length <= 3800) document.cookie = `${HANDOVER_COOKIE}=${encodeURIComponent(query)}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; SameSite=Strict`;
      resolve('cookie');
    }, CHANNEL_WAIT_MS);
    try {
      channel = new BroadcastChannel(HANDOVER_CHANNEL);
    } catch {
      return;
    }
    const open = channel;
    open.onmessage = (event: MessageEvent) => {
      const data = event.data as { v?: unknown; type?: unknown; state?: unknown } | null;
      if (data?.v !== PROTOCOL_VERSION || data.type !== 'authorization-received' || data.state !== state) return;
      clearTimeout(timer);
      open.close();
      resolve('channel');
    };
    open.postMessage({ v: PROTOCOL_VERSION, type: 'authorization-response', query });
  });
}

/**
 * The proxy frame's side: hears hand-overs on the channel always, and reads the cookie while
 * `waiting()` says a sign-in window of this frame is out. `take(query)` returns true when the
 * response was this frame's (its state held here, now taken); only then is it confirmed on the
 * channel. Anything else is ignored without a word.
 */
export function listenForHandover(take: (query: string) => boolean, waiting: () => boolean): void {
  let channel: BroadcastChannel | null = null;
  try {
    channel = new BroadcastChannel(HANDOVER_CHANNEL);
  } catch {
    // No BroadcastChannel: the cookie remains.
  }
  if (channel) {
    const frameChannel = channel;
    frameChannel.onmessage = (event: MessageEvent) => {
      const data = event.data as { v?: unknown; type?: unknown; query?: unknown } | null;
      if (data?.v !== PROTOCOL_VERSION || data.type !== 'authorization-response' || typeof data.query !== 'string' || data.query.length > HANDOVER_MAX_QUERY) return;
      if (!take(data.query)) return;
      frameChannel.postMessage({ v: PROTOCOL_VERSION, type: 'authorization-received', state: new URLSearchParams(data.query).get('state') });
    };
  }
  setInterval(() => {
    if (!waiting()) return;
    for (const query of handoverCookies()) {
      // Taken: remove the cookie where this frame may (WebKit refuses a frame's cookie writes; it expires by itself).
      if (take(query)) document.cookie = `${HANDOVER_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict`;
    }
  }, HANDOVER_POLL_MS);
}

/** Every hand-over cookie this document sees (a page of a parent domain could add one of its own: each is only a candidate). */
function handoverCookies(): string[] {
  const found: string[] = [];
  for (const pair of document.cookie.split('; ')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at) !== HANDOVER_COOKIE) continue;
    try {
      const query = decodeURIComponent(pair.slice(at + 1));
      if (query && query.length <= HANDOVER_MAX_QUERY) found.push(query);
    } catch {
      // Not ours: malformed percent-encoding.
    }
  }
  return found;
}
