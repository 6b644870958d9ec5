import { VaultError } from './errors.js';
import type { Versioned } from './version.js';

// The hand-written message checker every guard of the protocol uses (replies.ts says why guards, not
// schemas, on the page side). A leaf: it imports no message module, so any of them can import it.

/** A check per field of a message. */
export type Checks = Record<string, (value: unknown) => boolean>;

/** A string. */
export const isString = (value: unknown): value is string => typeof value === 'string';
/** A message id: a safe, non-negative integer. */
export const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
/**
 * A popup sign-in's flow id, as the proxy mints it (`randomToken()`: 43 base64url characters).
 * Only the proxy makes one; a page holds it only to know its own flow's outcome.
 */
export const isFlowId = (value: unknown): value is string => isString(value) && /^[\w-]{43}$/.test(value);
/** Error and status texts: short strings. */
export const isShortText = (value: unknown): boolean => isString(value) && value.length <= 1024;

/**
 * Checks a versioned message against the checks of its type (`checksByType[message.type]`), and with
 * `strict` that it has no other fields (besides `v` and `type`). Throws `TV_MALFORMED_MESSAGE`
 * naming the message type otherwise (an unknown type included).
 */
export function checkMessage<
  T extends {
    /** The message type: a key of `checksByType`. */
    type: string;
  },
>(message: Versioned, checksByType: Record<T['type'], Checks>, strict: boolean): T {
  const { type } = message;
  const table: Record<string, Checks> = checksByType;
  const checks = typeof type === 'string' && Object.hasOwn(table, type) ? table[type] : undefined;
  let fits = checks !== undefined;
  for (const key in checks) fits &&= checks[key](message[key]);
  if (!checks || !fits || (strict && Object.keys(message).length !== Object.keys(checks).length + 2)) {
    throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'malformedType', type: String(type).slice(0, 32) });
  }
  // The checks of its type passed: the message is a T of that type.
  return message as T;
}
