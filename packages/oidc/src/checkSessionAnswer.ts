/** What the OP's check_session_iframe answers to `client_id + " " + session_state`. */
export type CheckSessionAnswer = 'changed' | 'unchanged' | 'error';

const ANSWERS = new Set<unknown>(['changed', 'unchanged', 'error']);

/**
 * The check frame's answer in a `message` event, or null when the message is not one: only the
 * check frame's own window (`frame`) at the OP's origin counts — a message from any other window
 * or origin, even one saying "changed", is not the OP's answer — and only the three answers the
 * specification names.
 *
 * @example
 * ```ts
 * const answer = checkSessionAnswer(event, iframe.contentWindow, opOrigin)
 * if (answer) settle(answer)
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#OPiframe
 */
export function checkSessionAnswer(event: Pick<MessageEvent, 'source' | 'origin' | 'data'>, frame: MessageEventSource | null, opOrigin: string): CheckSessionAnswer | null {
  if (frame === null || event.source !== frame || event.origin !== opOrigin) return null;
  return ANSWERS.has(event.data) ? (event.data as CheckSessionAnswer) : null;
}
