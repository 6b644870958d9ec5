import { VaultError, hostHandoffMessage, parseFromProxy } from '@tokenvault/protocol';
import { parseOrigin } from '@tokenvault/config';
import { invalidOption } from './invalidOption.js';

/**
 * Why a message was not answered. Never carries the message itself. `'app'`: the app's own window
 * asked (the compatibility "ready"): this helper hands the ID to the vault's proxy frame only.
 */
export type IgnoredAppMessage = 'source' | 'origin' | 'malformed' | 'app';

/**
 * Options of {@link serveHostSession}, the host page's side of the `'direct'` handoff.
 *
 * @example
 * serveHostSession({ frame, proxyOrigin: 'https://proxy.example.com', sessionId: () => mySessionId() });
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/host-handoff.md
 */
export interface ServeHostSessionOptions {
  /** The iframe that embeds the app. Only proxy frames inside its window are answered. */
  frame: HTMLIFrameElement;
  /** The vault proxy's exact origin (`https://proxy.example.com`): the session ID is addressed to it only. */
  proxyOrigin: string;
  /** The embedded app's exact origin, to tell its own "ready" (never answered) apart in `onIgnored`. Optional. */
  appOrigin?: string;
  /** The session ID to hand over, or a function that gets it (called for every proxy frame that asks). */
  sessionId: string | (() => string | Promise<string>);
  /** Told about every message that was not answered, and why. */
  onIgnored?: (reason: IgnoredAppMessage) => void;
  /**
   * Told when `sessionId` failed or gave an ID the vault would refuse (nothing is sent then), and
   * when the vault refused the handoff (its typed error, such as `TV_HOST_SESSION_ALREADY_SET`).
   */
  onError?: (error: VaultError) => void;
  /** Told when a proxy frame took the ID. */
  onHandedOver?: () => void;
}

/** What {@link serveHostSession} returns: a handle to stop answering the proxy frames. */
export interface HostSessionServer {
  /** Stops answering. */
  stop(): void;
}

function assertOptions(options: unknown): asserts options is ServeHostSessionOptions {
  const fail = invalidOption;
  if (typeof options !== 'object' || options === null) fail({ why: 'serveOptions' });
  const { frame, proxyOrigin, appOrigin, sessionId, onIgnored, onError, onHandedOver } = options as ServeHostSessionOptions;
  if (!(frame instanceof HTMLIFrameElement)) fail({ why: 'serveFrame' });
  try {
    parseOrigin(proxyOrigin, 'proxyOrigin');
  } catch {
    fail({ why: 'serveProxyOrigin' });
  }
  try {
    if (appOrigin !== undefined) parseOrigin(appOrigin, 'appOrigin');
  } catch {
    fail({ why: 'serveAppOrigin' });
  }
  if (appOrigin !== undefined && parseOrigin(appOrigin, 'appOrigin') === parseOrigin(proxyOrigin, 'proxyOrigin')) fail({ why: 'serveSameOrigin' });
  if (typeof sessionId !== 'string' && typeof sessionId !== 'function') fail({ why: 'serveSessionId' });
  for (const [name, value] of Object.entries({ onIgnored, onError, onHandedOver }))
    if (value !== undefined && typeof value !== 'function') fail({ why: 'serveCallback', option: name });
}

/** Whether `source` is a frame inside the app's frame (its window's child), read through a cross-origin WindowProxy. */
function isChildOf(source: MessageEventSource | null, app: Window | null): source is Window {
  if (app === null || source === null || source === app) return false;
  try {
    // `parent` is one of the few properties a cross-origin WindowProxy exposes.
    return (source as Window).parent === app;
  } catch {
    return false;
  }
}

/**
 * The host page's side of the direct session handoff (the proxy's `hostSession.handoff: 'direct'`):
 * hands the session ID to the vault proxy frame inside the app's frame, at the proxy origin. The
 * app's window never receives it, and nothing the app posts is ever answered with it.
 *
 * Each proxy page, when it starts, posts `{ v, type: 'host-ready' }` to the page that embeds the app
 * (its grandparent). This answers such a message only when it comes from `proxyOrigin`, from a frame
 * whose parent is `frame`'s window, and is well-formed; the answer `{ v, type: 'host-session',
 * sessionId }` goes to that frame, addressed to `proxyOrigin` only, never `"*"`: if the frame was
 * navigated elsewhere meanwhile, nothing is delivered. One answer per proxy page: a proxy frame posts
 * its "ready" once per load, so a proxy frame the app reloads, or a second vault's, asks (and gets
 * the ID, to the proxy origin) again; the proxy takes one ID per page and refuses a second.
 *
 * Start it before the frame loads, so that the first "ready" is not missed.
 *
 * @example
 * ```ts
 * const frame = document.createElement('iframe')
 * serveHostSession({ frame, proxyOrigin: 'https://proxy.example.com', sessionId: () => getSessionId() })
 * frame.src = 'https://app.example.com/'
 * document.body.append(frame)
 * ```
 * @see receiveHostSession for the embedded app's side; listenForHost in packages/proxy for the proxy's.
 */
export function serveHostSession(options: ServeHostSessionOptions): HostSessionServer {
  assertOptions(options);
  const { frame, sessionId, onIgnored, onError, onHandedOver } = options;
  // Canonical forms, as event.origin is.
  const proxyOrigin = parseOrigin(options.proxyOrigin, 'proxyOrigin');
  const appOrigin = options.appOrigin === undefined ? undefined : parseOrigin(options.appOrigin, 'appOrigin');

  const answer = async (proxy: Window): Promise<void> => {
    let message: ReturnType<typeof hostHandoffMessage>;
    try {
      message = hostHandoffMessage(typeof sessionId === 'string' ? sessionId : await sessionId());
    } catch (err) {
      onError?.(err instanceof VaultError ? err : new VaultError('TV_INVALID_ARGUMENT', { why: 'serveSessionIdFailed' }, { cause: err }));
      return;
    }
    // The frames may have navigated while the ID was fetched: checked again, and the target origin
    // keeps the answer from reaching anyone but the proxy.
    if (isChildOf(proxy, frame.contentWindow)) proxy.postMessage(message, proxyOrigin);
  };

  const listen = (event: MessageEvent): void => {
    if (event.origin !== proxyOrigin) return onIgnored?.(appOrigin !== undefined && event.origin === appOrigin && event.source === frame.contentWindow ? 'app' : 'origin');
    if (!isChildOf(event.source, frame.contentWindow)) return onIgnored?.('source');
    let message;
    try {
      message = parseFromProxy(event.data);
    } catch {
      return onIgnored?.('malformed');
    }
    switch (message.type) {
      case 'host-ready':
        void answer(event.source);
        return;
      case 'host-session-taken':
        onHandedOver?.();
        return;
      case 'host-session-refused':
        onError?.(new VaultError(message.error, message.message));
        return;
    }
  };
  window.addEventListener('message', listen);
  return {
    stop: () => {
      window.removeEventListener('message', listen);
    },
  };
}
