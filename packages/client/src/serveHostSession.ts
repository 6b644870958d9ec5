import { VaultError, hostSessionMessage, isHostReadyMessage, parseOrigin } from '@tokenvault/protocol';

/** Why a message was not answered. Never carries the message itself. */
export type IgnoredAppMessage = 'source' | 'origin' | 'malformed';

export interface ServeHostSessionOptions {
  /** The iframe that embeds the app. Only its window is answered. */
  frame: HTMLIFrameElement;
  /** The embedded app's exact origin (`https://app.example.com`). Only messages from it count, and answers are addressed to it. */
  appOrigin: string;
  /** The session ID to hand over, or a function that gets it (called for every "ready"). */
  sessionId: string | (() => string | Promise<string>);
  /** Told about every message that was not answered, and why. */
  onIgnored?: (reason: IgnoredAppMessage) => void;
  /** Told when `sessionId` failed or gave an ID the app would refuse; nothing is sent then. */
  onError?: (error: VaultError) => void;
}

export interface HostSessionServer {
  /** Stops answering. */
  stop(): void;
}

function assertOptions(options: unknown): asserts options is ServeHostSessionOptions {
  const fail = (fix: string): never => {
    throw new VaultError('TV_INVALID_ARGUMENT', `serveHostSession(options): ${fix}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const { frame, appOrigin, sessionId } = options as ServeHostSessionOptions;
  if (!(frame instanceof HTMLIFrameElement)) fail('options.frame must be the <iframe> that embeds the app');
  try {
    parseOrigin(appOrigin, 'appOrigin');
  } catch {
    fail('options.appOrigin must be the exact origin of the embedded app, such as https://app.example.com');
  }
  if (typeof sessionId !== 'string' && typeof sessionId !== 'function') fail('options.sessionId must be a string or a function returning one');
}

/**
 * The host page's side of the session handshake: answers the embedded app's "ready" with
 * `{"message_id":"session_id","data":{"session_id":"…"}}` (a JSON string). It answers only
 * messages from `frame`'s own window at `appOrigin`, and addresses the answer to that window at
 * `appOrigin` only, never `"*"`: if the frame was navigated elsewhere, nothing is delivered.
 *
 * Start it before the frame loads, so that the first "ready" is not missed.
 *
 * @example
 * ```ts
 * const frame = document.createElement('iframe')
 * const server = serveHostSession({ frame, appOrigin: 'https://app.example.com', sessionId: () => getSessionId() })
 * frame.src = 'https://app.example.com/'
 * document.body.append(frame)
 * ```
 * @see receiveHostSession for the embedded app's side.
 */
export function serveHostSession(options: ServeHostSessionOptions): HostSessionServer {
  assertOptions(options);
  const { frame, sessionId, onIgnored, onError } = options;
  // Canonical form, as event.origin is.
  const appOrigin = parseOrigin(options.appOrigin, 'appOrigin');

  const answer = async (target: Window): Promise<void> => {
    let message: string;
    try {
      message = hostSessionMessage(typeof sessionId === 'string' ? sessionId : await sessionId());
    } catch (err) {
      onError?.(err instanceof VaultError ? err : new VaultError('TV_INVALID_ARGUMENT', 'serveHostSession: options.sessionId() failed', { cause: err }));
      return;
    }
    // The frame may have navigated while the ID was fetched: the target origin keeps the answer
    // from reaching anyone but the app.
    if (frame.contentWindow === target) target.postMessage(message, appOrigin);
  };

  const listen = (event: MessageEvent): void => {
    const target = frame.contentWindow;
    if (event.origin !== appOrigin) return onIgnored?.('origin');
    if (target === null || event.source !== target) return onIgnored?.('source');
    if (!isHostReadyMessage(event.data)) return onIgnored?.('malformed');
    void answer(target);
  };
  window.addEventListener('message', listen);
  return { stop: () => window.removeEventListener('message', listen) };
}
