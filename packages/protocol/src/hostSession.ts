import * as v from 'valibot';
import { VaultError } from './errors.js';

// Long messages are for development: production bundles keep the codes.
const dev = process.env.NODE_ENV !== 'production';

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
  if (data.length > maxChars) throw new VaultError('TV_MALFORMED_MESSAGE', dev ? `The host message is longer than ${maxChars} characters` : '');
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new VaultError('TV_MALFORMED_MESSAGE', dev ? 'The host message is a string but not JSON' : '', { cause });
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
    throw new VaultError('TV_MALFORMED_MESSAGE', dev ? 'Not a session_id message with a session ID of token68 characters' : '');
  }
  const id = result.output.data.session_id;
  if (id.length > maxLength) throw new VaultError('TV_MALFORMED_MESSAGE', dev ? `The session ID is longer than ${maxLength} characters` : '');
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
    throw new VaultError('TV_INVALID_ARGUMENT', dev ? `A host session ID is 1 to ${HOST_SESSION_ID_LIMIT} token68 characters (A-Z a-z 0-9 - . _ ~ + / and trailing =)` : '');
  }
  return JSON.stringify({ message_id: 'session_id', data: { session_id: sessionId } });
}
