import { DEFAULT_HOST_SESSION_ID_MAX_LENGTH, HOST_READY_MESSAGE, HOST_SESSION_ID_LIMIT, VaultError, parseHostSessionMessage } from '@tokenvault/protocol';
import { parseOrigin } from '@tokenvault/config';
import type { Vault } from './createVault.js';
import { vaultInternals, type VaultInternals } from './vaultInternals.js';
import { invalidOption } from './invalidOption.js';

/** Why a message did not count as the host's session ID. Never carries the message itself. */
export type IgnoredHostMessage = 'source' | 'origin' | 'malformed';

/**
 * Options of {@link receiveHostSession}, the embedded app's side of the host handoff.
 *
 * @example
 * await receiveHostSession(vault, { hostOrigin: 'https://host.example.com', timeoutMs: 10_000 });
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/host-handoff.md
 */
export interface ReceiveHostSessionOptions {
  /**
   * The host page's exact origin (`https://host.example.com`). Needed with the proxy's
   * `hostSession.handoff: 'app-window'` (compatibility): "ready" is addressed to it, and only its
   * answer counts. With `'direct'` (the default) the proxy's own `hostOrigins` decide, and this is
   * only checked for its shape.
   */
  hostOrigin?: string;
  /** How long to wait for the session ID, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** `'app-window'` only: the longest session ID accepted. Default 512, at most 4096. */
  maxLength?: number;
  /** `'app-window'` only: told about every message that was not taken, and why (for debugging an integration). */
  onIgnored?: (reason: IgnoredHostMessage) => void;
}

function assertOptions(options: unknown): asserts options is ReceiveHostSessionOptions {
  const fail = invalidOption;
  if (typeof options !== 'object' || options === null) fail({ why: 'receiveOptions' });
  const { hostOrigin, timeoutMs, maxLength, onIgnored } = options as ReceiveHostSessionOptions;
  try {
    if (hostOrigin !== undefined) parseOrigin(hostOrigin, 'hostOrigin');
  } catch {
    fail({ why: 'receiveHostOrigin' });
  }
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)) fail({ why: 'receiveTimeoutMs' });
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > HOST_SESSION_ID_LIMIT))
    fail({ why: 'receiveMaxLength', max: HOST_SESSION_ID_LIMIT });
  if (onIgnored !== undefined && typeof onIgnored !== 'function') fail({ why: 'receiveOnIgnored' });
}

/**
 * The embedded app's side of the host session handoff. Resolves once the vault proxy holds the
 * host page's session ID, which it then attaches to the requests of the rules marked
 * `credential: 'host_session'`. How the ID gets there is the proxy's own configuration
 * (`hostSession.handoff`, which the proxy tells the vault):
 *
 * - `'direct'` (default): the host page hands the ID to the proxy frame itself (`serveHostSession`);
 *   this only waits for the vault's `host-session` event. Nothing reaches the app's window.
 * - `'app-window'` (compatibility with hosts that post the ID to the app): posts the JSON string
 *   `{"message_id":"ready","data":{}}` to `window.parent`, addressed to `hostOrigin` only, and takes
 *   exactly one `{"message_id":"session_id","data":{"session_id":"…"}}` (a JSON string or an
 *   object): the first well-formed one from `window.parent` at `hostOrigin`, handed straight to the
 *   proxy. Script in the app origin can read that message too (docs/threat-model.md).
 *
 * Rejects with `TV_HOST_SESSION_TIMEOUT` when no session ID came in time, `TV_NOT_EMBEDDED` on a
 * page that is not in a frame, `TV_INVALID_ARGUMENT` for bad options (or no `hostOrigin` in
 * `'app-window'`), and the vault's error when the proxy cannot be reached.
 *
 * @example
 * ```ts
 * const vault = createVault({ proxyUrl: 'https://proxy.example.com/' })
 * await receiveHostSession(vault, { hostOrigin: 'https://host.example.com' })
 * await fetch('https://host-api.example.com/v1/me') // the proxy adds "Authorization: <session ID>"
 * ```
 * @see serveHostSession for the host page's side.
 */
export function receiveHostSession(vault: Vault, options: ReceiveHostSessionOptions): Promise<void> {
  const internals = vaultInternals(vault, 'receiveHostSession(vault, options)');
  assertOptions(options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (window.parent === window) return Promise.reject(new VaultError('TV_NOT_EMBEDDED', { why: 'receiveNotEmbedded' }));

  return new Promise<void>((resolve, reject) => {
    let stop = (): void => {};
    const ignored: IgnoredHostMessage[] = [];
    const timer = setTimeout(() => {
      stop();
      const summary = ignored.length ? ` (${ignored.length} other message${ignored.length > 1 ? 's' : ''} ignored: ${[...new Set(ignored)].join(', ')})` : '';
      reject(new VaultError('TV_HOST_SESSION_TIMEOUT', `No host session ID reached the vault within ${timeoutMs} ms${summary}`));
    }, timeoutMs);
    // Settled by the proxy's answers, which fail with VaultErrors.
    const settle = (err?: Error): void => {
      clearTimeout(timer);
      stop();
      if (err === undefined) resolve();
      else reject(err);
    };
    // held only ever resolves: nothing to catch.
    void internals.hostSessionHeld.then(() => {
      settle();
    });
    internals.hostHandoff().then((handoff) => {
      if (handoff !== 'app-window') return;
      if (options.hostOrigin === undefined) {
        settle(
          new VaultError(
            'TV_INVALID_ARGUMENT',
            "receiveHostSession(vault, options): options.hostOrigin is needed: this vault's proxy takes the host's session ID from the app's window (hostSession.handoff: 'app-window')",
          ),
        );
        return;
      }
      stop = listenInAppWindow(internals, options, (reason) => ignored.push(reason), settle);
    }, settle);
  });
}

/** The compatibility handshake: "ready" to the parent, the first well-formed session_id from it. */
function listenInAppWindow(
  internals: VaultInternals,
  options: ReceiveHostSessionOptions,
  onIgnored: (reason: IgnoredHostMessage) => void,
  settle: (err?: Error) => void,
): () => void {
  // Canonical form ("https://Host.example.com:443/" → "https://host.example.com"), as event.origin is.
  const hostOrigin = parseOrigin(options.hostOrigin, 'hostOrigin');
  const maxLength = options.maxLength ?? DEFAULT_HOST_SESSION_ID_MAX_LENGTH;
  const ignore = (reason: IgnoredHostMessage): void => {
    onIgnored(reason);
    options.onIgnored?.(reason);
  };
  const stop = (): void => {
    window.removeEventListener('message', listen);
  };
  const listen = (event: MessageEvent): void => {
    // The host origin, and there the parent window itself: a sibling frame, a popup or an opener
    // at the same origin is not the host, and neither is the parent after it navigated elsewhere.
    if (event.origin !== hostOrigin) {
      ignore('origin');
      return;
    }
    if (event.source !== window.parent) {
      ignore('source');
      return;
    }
    let sessionId: string;
    try {
      sessionId = parseHostSessionMessage(event.data, maxLength);
    } catch {
      ignore('malformed');
      return;
    }
    // Exactly one: from here on nothing is listening any more.
    stop();
    internals.hostSession(sessionId).then(() => {
      settle();
    }, settle);
  };
  window.addEventListener('message', listen);
  // A JSON string, as existing hosts expect; addressed to the host origin, so a parent at any other
  // origin never receives it.
  window.parent.postMessage(HOST_READY_MESSAGE, hostOrigin);
  return stop;
}
