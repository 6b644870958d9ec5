// The session check's two times (OpenID Connect Session Management): their defaults and limits,
// one rule for both sides that run the check: the app's SessionMonitor (drop-in mode) checks its
// options with it, the proxy's configuration (`sessionCheck`, sealed mode) its field.

/**
 * How often the vault asks the OP whether the session still holds, and how long it waits. The same
 * two times as the options of drop-in mode's `SessionMonitor`, with the same defaults and limits.
 *
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export interface SessionCheck {
  /**
   * How often to ask the OP's `check_session_iframe`, in milliseconds: a sign-out at the OP is
   * noticed within about this long. Default 3000 (200 to 3 600 000).
   */
  intervalMs?: number;
  /**
   * How long the check frame may take to load or to answer a check, and a `prompt=none` re-check to
   * come back, in milliseconds. Default 10 000 (1 to 3 600 000).
   */
  timeoutMs?: number;
}

/** The session check's times where none are set: a check every 3 s, 10 s for the OP to answer. */
export const DEFAULT_SESSION_CHECK: Readonly<Required<SessionCheck>> = { intervalMs: 3000, timeoutMs: 10_000 };

/**
 * The least each session check time may be, in milliseconds: the limits `SessionMonitor` has
 * checked since its first version, kept so that one value means the same on both sides. Both are
 * at most an hour ({@link SESSION_CHECK_MAX_MS}).
 */
export const SESSION_CHECK_MIN_MS: Readonly<Required<SessionCheck>> = { intervalMs: 200, timeoutMs: 1 };

/** The most either session check time may be: an hour. */
export const SESSION_CHECK_MAX_MS = 3_600_000;

/**
 * Whether `value` may be the session check's `name` time: a whole number of milliseconds from
 * {@link SESSION_CHECK_MIN_MS} to {@link SESSION_CHECK_MAX_MS}.
 *
 * @example
 * ```ts
 * isSessionCheckMs('intervalMs', 1500) // true
 * isSessionCheckMs('intervalMs', 100)  // false: under 200
 * ```
 */
export function isSessionCheckMs(name: keyof SessionCheck, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= SESSION_CHECK_MIN_MS[name] && value <= SESSION_CHECK_MAX_MS;
}
