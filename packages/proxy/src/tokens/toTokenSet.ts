import { VaultError } from '@tokenvault/protocol';
import { newPlaceholderMark } from './placeholder.js';
import { REDACTED } from './redact.js';
import type { TokenSet } from './TokenStore.js';

/**
 * The token set in a successful token response; keeps the refresh and ID tokens a refresh did not
 * replace. An answer without `scope` has the scope that was requested (RFC 6749 §5.1): `requested`
 * when the caller knows it (a sealed sign-in's, a refresh grant's `scope` parameter), else the
 * previous set's (a refresh without one asks for the whole grant, §6), else unknown (null). `token_type` is Bearer, or DPoP when the request carried a proof (`proved`): a DPoP
 * token the vault did not ask for would be bound to no key it holds. Anything else is
 * `TV_INVALID_TOKEN_RESPONSE`.
 *
 * @example
 * ```ts
 * const next = toTokenSet(await response.json(), current, key !== null)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function toTokenSet(json: unknown, previous: TokenSet | null, proved = false, requested: string | null = null): TokenSet {
  if (typeof json !== 'object' || json === null) throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why: 'tokenResponseNotObject' });
  const r = json as Record<string, unknown>;
  if (typeof r.access_token !== 'string' || r.access_token === '' || r.access_token === REDACTED) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why: 'noAccessToken' });
  }
  const tokenType = typeof r.token_type === 'string' ? r.token_type.toLowerCase() : '';
  if (tokenType !== 'bearer' && !(tokenType === 'dpop' && proved)) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why: 'tokenType', allowed: proved ? 'Bearer or DPoP' : 'Bearer' });
  }
  const expiresIn = r.expires_in;
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why: 'badExpiresIn' });
  }
  const text = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' && value !== '' ? value : fallback);
  return {
    accessToken: r.access_token,
    tokenType: tokenType === 'dpop' ? 'DPoP' : 'Bearer',
    refreshToken: text(r.refresh_token, previous?.refreshToken ?? null),
    idToken: text(r.id_token, previous?.idToken ?? null),
    scope: text(r.scope, requested ?? previous?.scope ?? null),
    expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null,
    // A refresh continues the grant: the app's placeholders stay recognised.
    placeholderMark: previous?.placeholderMark ?? newPlaceholderMark(),
  };
}
