import { VaultError, type ErrorCode } from '@tokenvault/protocol';
import { idTokenClaims, type IdTokenClaims } from './idTokenClaims.js';

/** What an ID token must say to be the answer to the kit's own authorization request. */
export interface IdTokenExpectations {
  /** The OP's issuer identifier: `iss` must be exactly it. */
  issuer: string;
  /** The client: `aud` must include it; `azp`, when present, must be it. */
  clientId: string;
  /** The nonce of the authorization request. */
  nonce: string;
  /**
   * The user of the session being renewed. Another `sub` is no failure of the token: it is
   * reported (`sameUser: false`) so that the caller signs out with `user-changed`.
   */
  sub?: string;
  /** Now, in milliseconds since the epoch (default `Date.now()`). */
  now?: number;
  /** How far the browser's clock may be off the OP's, in seconds (default 300). */
  clockToleranceSeconds?: number;
}

/** An ID token that passed {@link checkIdToken}. */
export interface CheckedIdToken {
  /** The ID token, as it came. */
  idToken: string;
  /** Its claims. */
  claims: IdTokenClaims;
  /** False when `expectations.sub` was given and the token names another user. */
  sameUser: boolean;
}

/**
 * THE check of an ID token from the token endpoint, run before anything of its token response is
 * stored: `iss` is the issuer, `aud` includes the client, `azp` (required when `aud` names several
 * clients) is the client, `nonce` is the request's, `exp` has not passed and `iat` is not in the
 * future (both required; `clockToleranceSeconds` either way). The user (`sub`) is compared, not
 * checked: another user is the caller's decision (see {@link CheckedIdToken.sameUser}).
 * Throws a VaultError with `code`, its message naming the claim that failed.
 *
 * The signature is not checked: the token came straight from the token endpoint over TLS in answer
 * to the kit's own code (OpenID Connect Core §3.1.3.7, item 6).
 *
 * @example
 * ```ts
 * const { json, keep } = await exchangeCode(params)
 * const { sameUser } = checkIdToken(json.id_token, { issuer, clientId, nonce, sub }, 'TV_SESSION_CHECK_FAILED')
 * if (sameUser) await keep()
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function checkIdToken(jwt: unknown, expected: IdTokenExpectations, code: ErrorCode): CheckedIdToken {
  const claims = idTokenClaims(jwt, code);
  const fail = (claim: string): never => {
    throw new VaultError(code, { why: 'idTokenClaim', claim });
  };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== expected.issuer) fail('issuer (iss)');
  if (!audience.includes(expected.clientId)) fail('audience (aud)');
  // §3.1.3.7 items 4 and 5: with several audiences the token must say which client it was issued to.
  if ((audience.length > 1 || claims.azp !== undefined) && claims.azp !== expected.clientId) fail('authorized party (azp)');
  if (claims.nonce !== expected.nonce) fail('nonce');
  const now = (expected.now ?? Date.now()) / 1000;
  const tolerance = expected.clockToleranceSeconds ?? 300;
  if (claims.exp === undefined || claims.exp + tolerance <= now) fail('expiry (exp)');
  if (claims.iat === undefined || claims.iat - tolerance > now) fail('issue time (iat)');
  return { idToken: jwt as string, claims, sameUser: expected.sub === undefined || claims.sub === expected.sub };
}
