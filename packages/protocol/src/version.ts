import { VaultError } from './errors.js';

/**
 * The protocol version. Every message carries it as `v`; the two ends of a channel must agree
 * (a mismatch means an upgrade is half rolled out, and is answered with `TV_VERSION_MISMATCH`).
 * A string, so that a build of any part can be told apart by looking at its bundle.
 */
export const PROTOCOL_VERSION = 'tokenvault/1';

/**
 * The query parameter with which the proxy, after a redirect sign-in that failed, tells the app page
 * which typed error ended it (`?tokenvault_error=TV_INVALID_STATE`): a code, never a secret. The
 * proxy's sign-in pages write it, the client takes it off the page's URL at start.
 */
export const SIGN_IN_ERROR_PARAM = 'tokenvault_error';

/** A message that has a version and a type, the version being ours. */
export type Versioned = Record<string, unknown> & {
  /** The protocol version, this one's. */
  v: typeof PROTOCOL_VERSION;
  /** The message type, not yet checked. */
  type: unknown;
};

/**
 * Checks what every message must have before anything else is looked at: an object with `v` and
 * `type`, and `v` this protocol version. Throws `TV_MALFORMED_MESSAGE` or `TV_VERSION_MISMATCH`.
 *
 * @example
 * ```ts
 * const message = versioned(event.data) // then check its type and fields
 * ```
 */
export function versioned(data: unknown): Versioned {
  if (typeof data !== 'object' || data === null || !('v' in data) || !('type' in data)) {
    throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'notAMessage' });
  }
  if (data.v !== PROTOCOL_VERSION) {
    throw new VaultError('TV_VERSION_MISMATCH', { why: 'versionMismatch', received: typeof data.v === 'string' ? data.v.slice(0, 64) : typeof data.v, expected: PROTOCOL_VERSION });
  }
  return data as Versioned;
}
