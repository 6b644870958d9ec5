import type { ErrorDetails } from '@tokenvault/protocol';
import type { CheckSessionAnswer } from './checkSessionAnswer.js';

/** What the monitor does after a check: ask again later, re-check with `prompt=none`, or stop with this failure. */
export type AfterCheck = 'schedule' | 'recheck' | { fail: ErrorDetails };

/**
 * The monitor's decision on the check frame's answer (null: none within `timeoutMs`).
 * `justRenewed`: the last re-check succeeded and no `unchanged` came since — a `changed` then means
 * the session_state the OP itself just gave is already "changed": something is off (origin, clock,
 * cookie), and the monitor stops rather than re-check in a loop.
 *
 * @example
 * ```ts
 * const step = afterCheck(answer, justRenewed, timeoutMs)
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export function afterCheck(answer: CheckSessionAnswer | null, justRenewed: boolean, timeoutMs: number): AfterCheck {
  switch (answer) {
    case 'unchanged':
      return 'schedule';
    case 'changed':
      return justRenewed ? { fail: { why: 'changedAfterRecheck' } } : 'recheck';
    case 'error':
      return { fail: { why: 'checkSessionError' } };
    default:
      return { fail: { why: 'checkSessionTimeout', ms: timeoutMs } };
  }
}
