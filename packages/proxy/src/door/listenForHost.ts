import { HostHandoffSchemas, PROTOCOL_VERSION, VaultError, looksLikeHostHandoff, parseMessage, toVaultError, type HostHandoffReply } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';

/** Where a session ID the host handed over goes: the proxy's HostSession (tokens/), which refuses a second one by throwing. */
export interface HostSessionSink {
  set(sessionId: string): void;
}

/**
 * The proxy's end of the direct host session handoff (`hostSession.handoff: 'direct'`): the page
 * that embeds the app hands the session ID to this frame itself, so the app's window never
 * receives it and nothing in the app origin can choose it.
 *
 * The host is `window.parent.parent` (the proxy frame's parent is the app, the app's parent the
 * host), not `window.top`: a host page may itself be embedded (a portal showing it as a tab), and
 * then the top window is someone else. On start this frame posts `{ v, type: 'host-ready' }` to that
 * window, once per configured host origin as the exact target origin, so only a grandparent at a host
 * origin learns of it. Then it takes exactly one `{ v, type: 'host-session', sessionId }`: from that
 * window (`event.source`), at a configured host origin, well-formed, the first one. Everything else
 * is refused with a typed error, answered to its sender at its origin (never `"*"`), and changes
 * nothing: `TV_ORIGIN_REJECTED` (another window: a sibling frame, a popup, the app or a frame it
 * made; or another origin), `TV_MALFORMED_MESSAGE`, `TV_VERSION_MISMATCH`, `TV_HOST_SESSION_ALREADY_SET`.
 * Taken, it answers `{ v, type: 'host-session-taken' }`; the ID itself is never sent anywhere but
 * in the configured header of a `host_session` rule's request.
 *
 * A proxy page that the app reloads, or one of a second vault, announces itself the same way and
 * gets the host's ID from the host again (serveHostSession answers every proxy frame of the app);
 * the app origin has no way to hand it one, so it cannot be first.
 *
 * @returns whether it listens: not with another handoff, without host origins, or when this frame
 * is not two levels down (the app is the top page, or the proxy is not embedded).
 * @see serveHostSession in @tokenvault/client for the host page's end.
 */
export function listenForHost(config: ResolvedProxyConfig, session: HostSessionSink, win: Window = window): boolean {
  if (config.hostSession.handoff !== 'direct' || config.hostOrigins.length === 0) return false;
  const app = win.parent;
  const host = app.parent;
  if (app === win || host === app) return false;

  const answer = (event: MessageEvent, reply: HostHandoffReply): void => {
    const sender = event.source as Window | null;
    // An opaque origin ("null") cannot be addressed exactly: it gets no answer.
    if (sender && event.origin !== 'null') sender.postMessage(reply, event.origin);
  };
  const refuse = (event: MessageEvent, error: VaultError): void => {
    answer(event, { v: PROTOCOL_VERSION, type: 'host-session-refused', error: error.code, message: error.message });
  };

  win.addEventListener('message', (event) => {
    // The app's connect messages arrive here too: they are startProxy's.
    if (!looksLikeHostHandoff(event.data)) return;
    // Compared at every message: the window that embeds the app now, at an origin of the proxy's own configuration.
    if (event.source !== win.parent.parent || !config.hostOrigins.includes(event.origin)) {
      refuse(event, new VaultError('TV_ORIGIN_REJECTED', { why: 'hostSessionWrongSource' }));
      return;
    }
    let sessionId: string;
    try {
      sessionId = parseMessage(HostHandoffSchemas, event.data).sessionId;
      session.set(sessionId);
    } catch (err) {
      const error = toVaultError(err, 'TV_MALFORMED_MESSAGE');
      // A schema's message may quote what it received, and that may be a session ID: not repeated.
      refuse(event, error.code === 'TV_MALFORMED_MESSAGE' ? new VaultError('TV_MALFORMED_MESSAGE', { why: 'hostSessionMalformed' }) : error);
      return;
    }
    answer(event, { v: PROTOCOL_VERSION, type: 'host-session-taken' });
  });
  for (const origin of config.hostOrigins) host.postMessage({ v: PROTOCOL_VERSION, type: 'host-ready' }, origin);
  return true;
}
