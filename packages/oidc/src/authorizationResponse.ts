import { VaultError, type ErrorCode } from '@tokenvault/protocol';

/** A `session_state` as the kit accepts it: 1-1024 visible ASCII characters. */
export const SESSION_STATE = /^[\x21-\x7e]{1,1024}$/;

/**
 * The `prompt=none` errors that mean "no session the app can use without the user": a session
 * watch signs out on them; any other error is a failure of the check.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export const SESSION_ENDED_ERRORS: ReadonlySet<string> = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/** An authorization response: a code (with the OP session's `session_state`, when valid), or the OP's error. */
export type AuthorizationResponse =
  | {
      /** The authorization code. */
      code: string;
      /** The OP session's `session_state` (Session Management), or null when there is none or it is malformed. */
      sessionState: string | null;
    }
  | {
      /** The OP's `error` (at most 64 characters). */
      error: string;
    };

/** What the reader checks the response against. */
export interface AuthorizationResponseExpectations {
  /** The OP's issuer identifier: an `iss` parameter must be exactly it (RFC 9207). */
  issuer: string;
  /**
   * The OP's discovery document says `authorization_response_iss_parameter_supported: true`: a
   * response without `iss` is then not the OP's (a mix-up) and is refused.
   */
  issRequired: boolean;
  /** The request's `state`, when the caller has not matched it yet (a pending sign-in looked up by it). */
  state?: string;
}

/**
 * THE reader of an authorization response (query parameters): the issuer first (RFC 9207: another
 * one, or none where the OP advertises it, refuses the response before anything else is read), the
 * state when given, then the OP's error or the code. Throws a VaultError with `code` for a
 * response that is not the answer to the kit's request; an OP's `error` is returned, for the
 * caller to decide (a sign-in fails, a session watch signs out on `login_required` and its kin).
 *
 * @example
 * ```ts
 * const answer = readAuthorizationResponse(params, { issuer, issRequired: metadata.authorization_response_iss_parameter_supported === true }, 'TV_SIGN_IN_FAILED')
 * if ('error' in answer) throw new VaultError('TV_SIGN_IN_FAILED', answer.error)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthResponse
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function readAuthorizationResponse(params: URLSearchParams, expected: AuthorizationResponseExpectations, code: ErrorCode): AuthorizationResponse {
  const iss = params.get('iss');
  if (iss !== null && iss !== expected.issuer) throw new VaultError(code, { why: 'otherIssuer' });
  if (iss === null && expected.issRequired) throw new VaultError(code, { why: 'issMissing' });
  if (expected.state !== undefined && params.get('state') !== expected.state) throw new VaultError(code, { why: 'otherState' });
  const error = params.get('error');
  if (error !== null) return { error: error.slice(0, 64) };
  const value = params.get('code');
  if (!value) throw new VaultError(code, { why: 'noCode' });
  const given = params.get('session_state');
  return { code: value, sessionState: given !== null && SESSION_STATE.test(given) ? given : null };
}
