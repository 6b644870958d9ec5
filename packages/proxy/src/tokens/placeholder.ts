import { base64url, randomToken } from '@tokenvault/protocol';
import type { PlaceholderShape } from '@tokenvault/config';
import { jwtPayload } from '@tokenvault/oidc';
import { REDACTED } from './redact.js';
import type { TokenSet } from './TokenStore.js';

/** The kinds of token the vault keeps and a `token_type_hint` can name (RFC 7009 §2.1). */
export type TokenKind = 'access_token' | 'refresh_token';

/** What a placeholder is made from besides the tokens: the configured shape, and the claims an opaque token's placeholder carries. */
export interface PlaceholderOptions {
  /** `'REDACTED'` or `'jwt'`. */
  readonly shape: PlaceholderShape;
  /** The issuer (`iss` of an opaque token's placeholder). */
  readonly issuer: string;
  /** The OAuth client (`azp` of an opaque token's placeholder). */
  readonly clientId: string;
}

// The signature part of a JWT-shaped placeholder: `~tv` + A (access) or R (refresh) + `~` + the
// grant's mark. `~` is not in the base64url alphabet, so a strict JWS parser refuses it outright;
// a lenient decoder that skips it reads 18 bytes, the length of no JWS algorithm's signature
// (HMAC 32/48/64, ECDSA 64/96/132, EdDSA 64, RSA the modulus: 256 or more). So the placeholder
// never verifies anywhere, whatever `alg` its header keeps. `~` is allowed in a Bearer
// credential (RFC 6750 §2.1 b64token) and unreserved in a URL, so clients send it unchanged.
const KIND_LETTER: Record<TokenKind, string> = { access_token: 'A', refresh_token: 'R' };
const SIGNATURE = /^~tv([AR])~([\w-]{22})$/;
const SEGMENT = /^[\w-]+$/;

/** A new grant's mark: 16 random bytes, base64url. Kept with the tokens (TokenSet.placeholderMark). */
export function newPlaceholderMark(): string {
  return randomToken(16);
}

function signature(kind: TokenKind, mark: string): string {
  return `~tv${KIND_LETTER[kind]}~${mark}`;
}

/** The header and payload segments of a signed JWT (JWS compact, `alg` not `none`), or null. */
function signedJwtSegments(token: string): [string, string] | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return null;
  // jwtPayload decodes the second segment: here the header's.
  const header = jwtPayload(`.${parts[0]}`);
  if (typeof header?.alg !== 'string' || header.alg === 'none' || jwtPayload(token) === null) return null;
  return [parts[0], parts[1]];
}

/** The claims of an opaque token's placeholder: what client libraries that decode tokens read. */
function opaqueClaims(set: TokenSet, kind: TokenKind, options: PlaceholderOptions, now: number): Record<string, unknown> {
  const id = jwtPayload(set.idToken);
  const claims: Record<string, unknown> = { iss: options.issuer };
  if (typeof id?.sub === 'string') claims.sub = id.sub;
  claims.azp = options.clientId;
  if (set.scope !== null) claims.scope = set.scope;
  if (typeof id?.sid === 'string') claims.sid = id.sid;
  claims.iat = Math.floor(now / 1000);
  // A refresh token's lifetime is not in the token response: its placeholder says none.
  if (kind === 'access_token' && set.expiresAt !== null) claims.exp = Math.floor(set.expiresAt / 1000);
  return claims;
}

/**
 * What the app sees in place of the stored token of `kind`: `REDACTED`, or (shape `'jwt'`) a
 * JWT-shaped placeholder that never verifies anywhere: for a signed JWT its own header and claims
 * with the signature replaced by the vault's marker; for an opaque token the header
 * `{"alg":"none","typ":"JWT"}` (an unsecured JWS must have an empty signature, RFC 7518 §3.6:
 * with the marker it is invalid even where `none` is accepted), the claims such clients read
 * (`iss`, `sub`, `azp`, `scope`, `sid`, `iat`, `exp`) and the marker. The marker holds the grant's
 * random mark, so the vault recognises its placeholders ({@link placeholderKind}) and nothing else.
 *
 * @example
 * ```ts
 * placeholderFor(set, 'access_token', { shape: 'jwt', issuer, clientId: 'spa' })
 * // 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.~tvA~…'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.6
 */
export function placeholderFor(set: TokenSet, kind: TokenKind, options: PlaceholderOptions, now = Date.now()): string {
  const token = kind === 'access_token' ? set.accessToken : set.refreshToken;
  if (options.shape === 'REDACTED' || token === null || set.placeholderMark === undefined) return REDACTED;
  const segments = signedJwtSegments(token) ?? [base64url(JSON.stringify({ alg: 'none', typ: 'JWT' })), base64url(JSON.stringify(opaqueClaims(set, kind, options, now)))];
  return `${segments[0]}.${segments[1]}.${signature(kind, set.placeholderMark)}`;
}

/**
 * Which stored token a placeholder the app sent stands for, or null when `value` is not one of
 * this vault's current placeholders: shape `'REDACTED'` knows only `REDACTED` (which names no
 * kind: `'any'`); shape `'jwt'` knows only a JWT-shaped value whose signature is this grant's
 * marker (a placeholder of an earlier sign-in, `REDACTED` or any other text is not one; with no
 * tokens stored, any well-formed placeholder names its kind, and stands for nothing). The
 * claims are not compared: after a refresh the vault made alone, the app still holds the
 * placeholders of the tokens before it, which stand for the grant's current tokens.
 *
 * @example
 * ```ts
 * placeholderKind(params.get('refresh_token'), stored, 'jwt') // 'refresh_token'
 * ```
 */
export function placeholderKind(value: string | null, set: TokenSet | null, shape: PlaceholderShape): TokenKind | 'any' | null {
  if (value === null) return null;
  if (shape === 'REDACTED') return value === REDACTED ? 'any' : null;
  const parts = value.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[0]) || !SEGMENT.test(parts[1])) return null;
  const match = SIGNATURE.exec(parts[2]);
  // With nothing stored, a placeholder stands for nothing: its kind is all the caller needs.
  if (!match || (set !== null && match[2] !== set.placeholderMark)) return null;
  return match[1] === 'A' ? 'access_token' : 'refresh_token';
}
