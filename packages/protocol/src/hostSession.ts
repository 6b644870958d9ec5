import * as v from 'valibot';
import { VaultError, isErrorCode, type ErrorCode } from './errors.js';
import { checkMessage, isShortText, type Checks } from './check.js';
import { PROTOCOL_VERSION, versioned } from './version.js';

/**
 * The "ready" message an embedded app posts to its host page, byte for byte what existing hosts
 * expect: a JSON string, not an object.
 */
export const HOST_READY_MESSAGE = '{"message_id":"ready","data":{}}';

/** The longest session ID the embedded side accepts unless told otherwise. */
export const DEFAULT_HOST_SESSION_ID_MAX_LENGTH = 512;

/** The longest session ID the vault accepts at all, whatever the embedded side is told. */
export const HOST_SESSION_ID_LIMIT = 4096;

/**
 * token68 (RFC 9110 §11.2): the characters that can stand alone in an Authorization header. No
 * space, quote, comma, CR or LF can ever reach a header through a session ID.
 */
const SESSION_ID = /^[A-Za-z0-9\-._~+/]+=*$/;

/** A session ID as the proxy accepts it: 1 to 4096 token68 characters. */
export const HostSessionIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(HOST_SESSION_ID_LIMIT), v.regex(SESSION_ID));

const SessionIdMessageSchema = v.object({
  message_id: v.literal('session_id'),
  data: v.object({ session_id: HostSessionIdSchema }),
});

const ReadyMessageSchema = v.object({ message_id: v.literal('ready'), data: v.object({}) });

function decode(data: unknown, maxChars: number): unknown {
  if (typeof data !== 'string') return data;
  // Checked before parsing: a huge string is refused without spending time on it.
  if (data.length > maxChars) throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'hostMessageTooLong', maxChars });
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'hostMessageNotJson' }, { cause });
  }
}

/**
 * Reads the host's `{"message_id":"session_id","data":{"session_id":"…"}}`, as a JSON string (what
 * hosts send) or as an object, and returns the session ID. Throws `TV_MALFORMED_MESSAGE` for
 * anything else, including an ID longer than `maxLength` or with a character outside token68.
 *
 * @example
 * ```ts
 * parseHostSessionMessage('{"message_id":"session_id","data":{"session_id":"abc123"}}') // 'abc123'
 * ```
 */
export function parseHostSessionMessage(data: unknown, maxLength = DEFAULT_HOST_SESSION_ID_MAX_LENGTH): string {
  const result = v.safeParse(SessionIdMessageSchema, decode(data, maxLength + 256));
  if (!result.success) {
    throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'notSessionIdMessage' });
  }
  const id = result.output.data.session_id;
  if (id.length > maxLength) throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'sessionIdTooLong', maxLength });
  return id;
}

/** True for the embedded app's "ready" message, as a JSON string or an object. */
export function isHostReadyMessage(data: unknown): boolean {
  try {
    return v.is(ReadyMessageSchema, decode(data, 256));
  } catch {
    return false;
  }
}

/**
 * The JSON string a host posts to hand a session ID to the app it embeds. Throws
 * `TV_INVALID_ARGUMENT` for an ID the embedded side would refuse anyway.
 */
export function hostSessionMessage(sessionId: string): string {
  if (!v.is(HostSessionIdSchema, sessionId)) {
    throw new VaultError('TV_INVALID_ARGUMENT', { why: 'hostSessionId', max: HOST_SESSION_ID_LIMIT });
  }
  return JSON.stringify({ message_id: 'session_id', data: { session_id: sessionId } });
}

// The direct handoff ("handoff: 'direct'"), between the host page and the proxy frame, which is a
// child of the app's frame. The ID never passes through the app's window.
//   proxy → window.parent.parent, addressed to each configured host origin: { v, type: 'host-ready' }
//   host → that proxy frame, addressed to the proxy origin:                  { v, type: 'host-session', sessionId }
//   proxy → host, at the host origin:        { v, type: 'host-session-taken' } or { v, type: 'host-session-refused', error, message }

/** The proxy frame tells the host page that it runs and listens: once per proxy page. */
export interface HostReadyMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: typeof PROTOCOL_VERSION;
  /** Always `"host-ready"`. */
  type: 'host-ready';
}

/** What the proxy answers the host's handoff. Never carries the ID. */
export type HostHandoffReply =
  /** The proxy took the session ID. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: typeof PROTOCOL_VERSION;
      /** Always `"host-session-taken"`. */
      type: 'host-session-taken';
    }
  /** The proxy refused the session ID, with the reason. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: typeof PROTOCOL_VERSION;
      /** Always `"host-session-refused"`. */
      type: 'host-session-refused';
      /** The `TV_*` code, such as `TV_HOST_SESSION_ALREADY_SET`. */
      error: ErrorCode;
      /** What went wrong (empty in production builds). */
      message: string;
    };

/** The host's handoff as the proxy accepts it (checked with parseMessage, version first). */
export const HostHandoffSchemas = {
  /** "Here is the session ID", from the host page to the proxy frame. */
  'host-session': v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"host-session"`. */
    type: v.literal('host-session'),
    /** The host's session ID. */
    sessionId: HostSessionIdSchema,
  }),
};

export { looksLikeHostHandoff } from './looksLikeHostHandoff.js';

/**
 * The host's handoff message to the proxy frame. Throws `TV_INVALID_ARGUMENT` for an ID the proxy
 * would refuse anyway.
 */
export function hostHandoffMessage(sessionId: string): {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: typeof PROTOCOL_VERSION;
  /** Always `"host-session"`. */
  type: 'host-session';
  /** The host's session ID. */
  sessionId: string;
} {
  if (!v.is(HostSessionIdSchema, sessionId)) {
    throw new VaultError('TV_INVALID_ARGUMENT', { why: 'hostSessionId', max: HOST_SESSION_ID_LIMIT });
  }
  return { v: PROTOCOL_VERSION, type: 'host-session', sessionId };
}

/**
 * How a host page hands the session ID over:
 * - `'direct'` (default): the host posts it to the proxy frame itself (`serveHostSession`), at the
 *   proxy origin; the app's window never receives it, and nothing the app sends can set it.
 * - `'app-window'`: compatibility with hosts that post `{"message_id":"session_id",…}` to the app's
 *   window. The app hands the first well-formed one to the proxy; script in the app origin can read
 *   it there, and can hand the proxy an ID of its own first (README, "Threat model").
 */
export type HostSessionHandoff = 'direct' | 'app-window';

const FROM_PROXY: Record<HostReadyMessage['type'] | HostHandoffReply['type'], Checks> = {
  'host-ready': {},
  'host-session-taken': {},
  'host-session-refused': { error: isErrorCode, message: isShortText },
};

/**
 * Checks a message the host page received from a proxy frame (after checking its origin and
 * window). Throws `TV_VERSION_MISMATCH` or `TV_MALFORMED_MESSAGE`.
 */
export function parseFromProxy(data: unknown): HostReadyMessage | HostHandoffReply {
  return checkMessage<HostReadyMessage | HostHandoffReply>(versioned(data), FROM_PROXY, true);
}
