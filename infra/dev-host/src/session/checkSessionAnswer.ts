import { sessionState } from './sessionState.js';

/** What the check_session_iframe answers. */
export type CheckSessionAnswer = 'changed' | 'unchanged' | 'error';

/** The registered clients and, for each, the origins of its redirect URIs. */
export type CheckSessionClients = Readonly<Record<string, readonly string[]>>;

const SESSION_STATE = /^[0-9a-f]{64}\.[A-Za-z0-9_-]{1,128}$/;

/**
 * The check_session_iframe's answer to a message `client_id + " " + session_state` posted from
 * `origin`: `error` for a malformed message, an unknown client, or an origin that is not one of the
 * client's; `changed` when there is no browser state or the recomputed session_state differs;
 * `unchanged` when it matches.
 *
 * @example
 * ```ts
 * await checkSessionAnswer(`demo ${state}`, 'https://app.example.com', { demo: ['https://app.example.com'] }, browserState)
 * // 'unchanged'
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#OPiframe
 */
export async function checkSessionAnswer(data: unknown, origin: string, clients: CheckSessionClients, browserState: string | null): Promise<CheckSessionAnswer> {
  if (typeof data !== 'string' || data.length > 2048) return 'error';
  const space = data.lastIndexOf(' ');
  const clientId = data.slice(0, space);
  const state = data.slice(space + 1);
  if (space < 1 || !SESSION_STATE.test(state)) return 'error';
  if (!Object.hasOwn(clients, clientId) || !clients[clientId].includes(origin)) return 'error';
  if (browserState === null) return 'changed';
  const salt = state.slice(state.indexOf('.') + 1);
  return (await sessionState(clientId, origin, browserState, salt)) === state ? 'unchanged' : 'changed';
}
