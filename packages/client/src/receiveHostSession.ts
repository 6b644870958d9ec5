import {
  DEFAULT_HOST_SESSION_ID_MAX_LENGTH,
  HOST_READY_MESSAGE,
  HOST_SESSION_ID_LIMIT,
  VaultError,
  parseHostSessionMessage,
  parseOrigin,
} from '@tokenvault/protocol';
import type { Vault } from './createVault.js';
import { vaultInternals } from './vaultInternals.js';

/** Why a message did not count as the host's session ID. Never carries the message itself. */
export type IgnoredHostMessage = 'source' | 'origin' | 'malformed';

export interface ReceiveHostSessionOptions {
  /** The host page's exact origin (`https://host.example.com`). "ready" is addressed to it, and only its answer counts. */
  hostOrigin: string;
  /** How long to wait for the session ID, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** The longest session ID accepted. Default 512, at most 4096. */
  maxLength?: number;
  /** Told about every message that was not taken, and why: for debugging an integration. */
  onIgnored?: (reason: IgnoredHostMessage) => void;
}

function assertOptions(options: unknown): asserts options is ReceiveHostSessionOptions {
  const fail = (fix: string): never => {
    throw new VaultError('TV_INVALID_ARGUMENT', `receiveHostSession(vault, options): ${fix}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const { hostOrigin, timeoutMs, maxLength, onIgnored } = options as ReceiveHostSessionOptions;
  try {
    parseOrigin(hostOrigin, 'hostOrigin');
  } catch {
    fail('options.hostOrigin must be the exact origin of the host page, such as https://host.example.com');
  }
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)) fail('options.timeoutMs must be a whole number of milliseconds between 1 and 600000');
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > HOST_SESSION_ID_LIMIT)) fail(`options.maxLength must be a whole number between 1 and ${HOST_SESSION_ID_LIMIT}`);
  if (onIgnored !== undefined && typeof onIgnored !== 'function') fail('options.onIgnored must be a function');
}

/**
 * The embedded side of the host session handshake. Posts the JSON string
 * `{"message_id":"ready","data":{}}` to `window.parent`, addressed to `hostOrigin` only, and waits
 * for the host's `{"message_id":"session_id","data":{"session_id":"…"}}` (a JSON string or an
 * object). Exactly one is taken: the first well-formed one that comes from `window.parent` at
 * `hostOrigin`. Its ID goes straight into the vault proxy, which attaches it to the requests of the
 * rules marked `credential: 'host_session'`; the app never holds it.
 *
 * Resolves once the proxy holds the ID. Rejects with `TV_HOST_SESSION_TIMEOUT` when no session ID
 * came in time, `TV_NOT_EMBEDDED` on a page that is not in a frame, `TV_INVALID_ARGUMENT` for bad
 * options.
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
  const { onIgnored } = options;
  // Canonical form ("https://Host.example.com:443/" → "https://host.example.com"), as event.origin is.
  const hostOrigin = parseOrigin(options.hostOrigin, 'hostOrigin');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxLength = options.maxLength ?? DEFAULT_HOST_SESSION_ID_MAX_LENGTH;
  if (window.parent === window) return Promise.reject(new VaultError('TV_NOT_EMBEDDED', 'receiveHostSession: this page is not in a frame, so no host can hand it a session ID'));

  return new Promise<void>((resolve, reject) => {
    const ignored: IgnoredHostMessage[] = [];
    const ignore = (reason: IgnoredHostMessage): void => {
      ignored.push(reason);
      onIgnored?.(reason);
    };
    const done = (): void => {
      window.removeEventListener('message', listen);
      clearTimeout(timer);
    };
    const listen = (event: MessageEvent): void => {
      // The host origin, and there the parent window itself: a sibling frame, a popup or an opener
      // at the same origin is not the host, and neither is the parent after it navigated elsewhere.
      if (event.origin !== hostOrigin) return ignore('origin');
      if (event.source !== window.parent) return ignore('source');
      let sessionId: string;
      try {
        sessionId = parseHostSessionMessage(event.data, maxLength);
      } catch {
        return ignore('malformed');
      }
      // Exactly one: from here on nothing is listening any more.
      done();
      internals.hostSession(sessionId).then(resolve, reject);
    };
    const timer = setTimeout(() => {
      done();
      const summary = ignored.length ? ` (${ignored.length} other message${ignored.length > 1 ? 's' : ''} ignored: ${[...new Set(ignored)].join(', ')})` : '';
      reject(new VaultError('TV_HOST_SESSION_TIMEOUT', `No session_id from ${hostOrigin} within ${timeoutMs} ms${summary}`));
    }, timeoutMs);
    window.addEventListener('message', listen);
    // A JSON string, as existing hosts expect; addressed to the host origin, so a parent at any other
    // origin never receives it.
    window.parent.postMessage(HOST_READY_MESSAGE, hostOrigin);
  });
}
