import { VaultError, type ErrorCode } from '@tokenvault/protocol';
import { jwtPayload } from './jwtPayload.js';

/** The ID token claims the kit looks at (OpenID Connect Core §2); any others are kept as they came. */
export interface IdTokenClaims {
  /** The OP that issued it. */
  iss: string;
  /** The user. */
  sub: string;
  /** The clients it is for. */
  aud: string | string[];
  /** The client it was issued to, when the OP names one. */
  azp?: string;
  /** The nonce of the authorization request it answers. */
  nonce?: string;
  /** Expiry, in seconds since the epoch. */
  exp?: number;
  /** Issue time, in seconds since the epoch. */
  iat?: number;
  /** Every other claim. */
  [claim: string]: unknown;
}

/**
 * Reads the claims of an ID token without checking its signature. That is enough here because
 * the token came straight from the OP's token endpoint over TLS, in answer to the kit's own code
 * (OpenID Connect Core §3.1.3.7, item 6); {@link checkIdToken} checks what the claims say.
 * Throws a VaultError with `code` for anything that is not a JWT with `iss`, `sub` and `aud` of
 * the right types.
 *
 * @example
 * ```ts
 * idTokenClaims(idToken, 'TV_SESSION_CHECK_FAILED').sub // 'alice'
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export function idTokenClaims(jwt: unknown, code: ErrorCode = 'TV_SESSION_CHECK_FAILED'): IdTokenClaims {
  const c = jwtPayload(jwt);
  if (!c) throw new VaultError(code, { why: 'idTokenNotJwt' });
  const audOk = typeof c.aud === 'string' || (Array.isArray(c.aud) && c.aud.every((a) => typeof a === 'string'));
  const optional = (name: string, type: 'string' | 'number'): boolean => c[name] === undefined || typeof c[name] === type;
  if (
    typeof c.iss !== 'string' ||
    typeof c.sub !== 'string' ||
    !audOk ||
    !optional('nonce', 'string') ||
    !optional('azp', 'string') ||
    !optional('exp', 'number') ||
    !optional('iat', 'number')
  ) {
    throw new VaultError(code, { why: 'idTokenClaims' });
  }
  return c as IdTokenClaims;
}
