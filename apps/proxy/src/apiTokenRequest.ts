import { dev, VaultError } from '@tokenvault/protocol';
import type { ResourceIndicator } from '@tokenvault/config';
import { REDACTED } from './redact.js';
import type { TokenLifecycle } from './TokenLifecycle.js';

/**
 * The API an app's refresh grant names (`resource`, RFC 8707 §2.2, or `audience`), or null when it
 * names none. One the configuration does not list, or several, is `TV_INVALID_REQUEST`: the answer
 * would be a token for an API the vault has no slot for, and it must not replace the sign-in's.
 */
function namedApi(tokens: TokenLifecycle, params: URLSearchParams): ResourceIndicator | null {
  const named = [...params.getAll('resource').map((value) => ({ param: 'resource', value })), ...params.getAll('audience').map((value) => ({ param: 'audience', value }))];
  if (named.length === 0) return null;
  const [one] = named;
  const api = named.length === 1 ? tokens.config.resources.find((r) => r.param === one.param && r.value === one.value) : undefined;
  if (!api) throw new VaultError('TV_INVALID_REQUEST', dev ? 'A refresh grant through the vault may name one API, and only one its rules name (resource or audience)' : '');
  return api;
}

/**
 * Drop-in mode: an OIDC library's own refresh grant for one API (`resource=` on the refresh grant)
 * is served from that API's slot while its token does not expire, and otherwise refreshed into
 * it (ResourceTokens) — never into the sign-in's set, so that the library's refresh throws no other
 * API's token away and the sign-in's token stays the one userinfo accepts. The app gets the
 * answer with the tokens redacted. Null when the grant names no API (the sign-in's refresh).
 *
 * @example
 * ```ts
 * const answer = await apiTokenRequest(tokens, params)
 * if (answer) return answer
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function apiTokenRequest(tokens: TokenLifecycle, params: URLSearchParams): Promise<Response | null> {
  const api = namedApi(tokens, params);
  if (!api) return null;
  const token = await tokens.apis.current(api);
  const body: Record<string, unknown> = { access_token: REDACTED, token_type: token.tokenType, refresh_token: REDACTED };
  if (token.expiresAt !== null) body.expires_in = Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000));
  if (token.scope !== null) body.scope = token.scope;
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
