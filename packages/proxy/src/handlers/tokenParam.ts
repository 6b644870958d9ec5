import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import type { PlaceholderShape } from '@tokenvault/config';
import { placeholderKind, type TokenKind } from '../tokens/placeholder.js';
import { readForm } from './readForm.js';
import type { TokenSet } from '../tokens/TokenStore.js';

export type { TokenKind };

/** What a revocation or introspection request from the app asks about. */
export interface TokenParam {
  /** The kind of stored token the placeholder stands for. */
  kind: TokenKind;
  /** The stored token of that kind, or null when the vault holds none. */
  token: string | null;
}

const FIELDS = ['token', 'token_type_hint', 'client_id'] as const;

/**
 * Reads the app's form for an endpoint that takes a `token` parameter (revocation, RFC 7009;
 * introspection, RFC 7662) and tells which stored token its placeholder stands for: the one its
 * `token_type_hint` names, or without a hint the refresh token (revoking it ends the grant) and,
 * when there is none, the access token. The app holds no token, so `token` must be this vault's
 * placeholder (`shape`): `REDACTED`, or a JWT-shaped one, which itself names its kind (a hint that
 * names the other is refused); a repeated field, another `client_id` than the vault's, or another hint is refused
 * (`TV_INVALID_REQUEST`): the request is rebuilt by the caller from these fields only.
 *
 * @example
 * ```ts
 * tokenParam(request, tokens, 'spa') // { kind: 'refresh_token', token: '<the stored refresh token>' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export function tokenParam(request: SerializedRequest, tokens: TokenSet | null, clientId: string, shape: PlaceholderShape = 'REDACTED'): TokenParam {
  if (request.method !== 'POST') throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenParamNotPost' });
  const params = readForm(request, FIELDS, 'tokenParam');
  const named = placeholderKind(params.get('token'), tokens, shape);
  if (named === null) {
    throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenPlaceholder', shape });
  }
  const hint = params.get('token_type_hint');
  if (hint !== null && hint !== 'access_token' && hint !== 'refresh_token') {
    throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenTypeHint' });
  }
  if (named !== 'any' && hint !== null && hint !== named) throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenTypeHintOther', named });
  const client = params.get('client_id');
  if (client !== null && client !== clientId) throw new VaultError('TV_INVALID_REQUEST', { why: 'clientIdOther' });
  const kind: TokenKind = named !== 'any' ? named : (hint ?? (tokens?.refreshToken ? 'refresh_token' : 'access_token'));
  return { kind, token: (kind === 'refresh_token' ? tokens?.refreshToken : tokens?.accessToken) ?? null };
}
