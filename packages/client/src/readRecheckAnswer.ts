import { VaultError } from '@tokenvault/protocol';
import { SESSION_STATE } from './sessionMonitorOptions.js';

// The prompt=none errors that mean "no session the app can use without the user": sign out.
const SESSION_ENDED = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/** A `prompt=none` re-check's answer: a code to redeem with the new session_state, or the OP's word that the session ended. */
export type RecheckAnswer = { ended: false; code: string; sessionState: string } | { ended: true; error: string };

/**
 * Reads the authorization response of a `prompt=none` re-check (state already checked by
 * silentAuthorize). Throws `TV_SESSION_CHECK_FAILED` when it names another issuer (RFC 9207), has
 * an error other than the four that mean "no session without the user", or lacks a code or a
 * session_state.
 *
 * @example
 * ```ts
 * const answer = readRecheckAnswer(params, issuer)
 * if (answer.ended) return signOut(answer.error)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function readRecheckAnswer(params: URLSearchParams, issuer: string): RecheckAnswer {
  const iss = params.get('iss');
  if (iss !== null && iss !== issuer) throw new VaultError('TV_SESSION_CHECK_FAILED', 'The prompt=none answer names another issuer');
  const error = params.get('error');
  if (error !== null) {
    if (SESSION_ENDED.has(error)) return { ended: true, error };
    throw new VaultError('TV_SESSION_CHECK_FAILED', `The OP answered the prompt=none request with ${JSON.stringify(error)}`);
  }
  const code = params.get('code');
  const sessionState = params.get('session_state');
  if (!code || !sessionState || !SESSION_STATE.test(sessionState)) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', 'The prompt=none answer lacks a code or a session_state');
  }
  return { ended: false, code, sessionState };
}
