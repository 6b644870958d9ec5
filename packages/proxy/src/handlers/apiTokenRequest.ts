import { VaultError } from '@tokenvault/protocol';
import type { ResourceIndicator } from '@tokenvault/config';
import type { DpopKey } from '../dpop/DpopKey.js';
import { placeholderFor } from '../tokens/placeholder.js';
import { redactTokenResponse } from '../tokens/redact.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';
import { askToken, refreshGrant, tokenSetOf, type TokenAnswer } from '../tokens/tokenEndpoint.js';
import type { ApiToken, TokenSet } from '../tokens/TokenStore.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** The APIs a token request names with `resource` (RFC 8707) or `audience` (Auth0), in that order. */
function named(params: URLSearchParams): ResourceIndicator[] {
  return [
    ...params.getAll('resource').map((value) => ({ param: 'resource', value }) as const),
    ...params.getAll('audience').map((value) => ({ param: 'audience', value }) as const),
  ];
}

/** The API of the rules that `one` names (the same parameter, the same value), if any. */
function listed(tokens: TokenLifecycle, one: ResourceIndicator): ResourceIndicator | undefined {
  return tokens.config.resources.find((r) => r.param === one.param && r.value === one.value);
}

/**
 * The API an app's refresh grant names (`resource`, RFC 8707 §2.2, or `audience`; or, for an API
 * the rules name by `scope` alone, exactly that scope), or null when it names none. One the
 * configuration does not list, or several, is `TV_INVALID_REQUEST`: the answer would be a token
 * for an API the vault has no slot for, and it must not replace the sign-in's.
 */
function namedApi(tokens: TokenLifecycle, params: URLSearchParams): ResourceIndicator | null {
  const all = named(params);
  if (all.length === 0) {
    // An API the rules name by scope alone (Entra ID v2.0, Keycloak): a refresh asking exactly its scope is for it.
    const scope = params.getAll('scope');
    return (scope.length === 1 && tokens.config.resources.find((r) => r.param === 'scope' && r.value === scope[0])) || null;
  }
  const api = all.length === 1 ? listed(tokens, all[0]) : undefined;
  if (!api) throw new VaultError('TV_INVALID_REQUEST', { why: 'refreshOneApi' });
  return api;
}

/**
 * The API a library's code exchange names, when it names exactly one that a rule lists; else null
 * (the answer is the sign-in's token, as a code exchange naming none or an API without a rule).
 */
export function codeExchangeApi(tokens: TokenLifecycle, params: URLSearchParams): ResourceIndicator | null {
  const all = named(params);
  return all.length === 1 ? (listed(tokens, all[0]) ?? null) : null;
}

/**
 * The placeholders the app gets for an API's token: the access token's in the configured shape
 * (`'jwt'`: the API token's own header and claims with the vault's marker, as the sign-in's
 * refresh answers), the refresh token's the sign-in's (`held`, whose grant mark both carry).
 */
function apiPlaceholders(tokens: TokenLifecycle, held: TokenSet | null, token: ApiToken): { access_token: string; refresh_token: string } {
  const base: TokenSet = held ?? { ...token, refreshToken: null, idToken: null };
  return {
    access_token: placeholderFor({ ...base, ...token }, 'access_token', tokens.placeholder),
    refresh_token: placeholderFor(base, 'refresh_token', tokens.placeholder),
  };
}

/**
 * Drop-in mode: an OIDC library's own refresh grant for one API (`resource=` on the refresh grant)
 * is served from that API's slot while its token does not expire, and otherwise refreshed into
 * it (ResourceTokens) — never into the sign-in's set, so that the library's refresh throws no other
 * API's token away and the sign-in's token stays the one userinfo accepts. The app gets the
 * answer with the tokens replaced by placeholders of the configured shape. Null when the grant
 * names no API (the sign-in's refresh).
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
  const token = await (await tokens.resourceTokens()).current(api);
  const held = await tokens.current();
  const placeholders = apiPlaceholders(tokens, held, token);
  const body: Record<string, unknown> = { access_token: placeholders.access_token, token_type: token.tokenType };
  if (token.expiresAt !== null) body.expires_in = Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000));
  if (held?.refreshToken) body.refresh_token = placeholders.refresh_token;
  if (token.scope !== null) body.scope = token.scope;
  return new Response(JSON.stringify(body), { status: 200, headers: JSON_HEADERS });
}

/**
 * Drop-in mode: a library's code exchange that names one API (`resource=` on the token request,
 * RFC 8707 §2.2, e.g. oidc-client-ts's `extraTokenParams`) got a token for that API: it goes into
 * the API's slot, not the sign-in's set. The sign-in's own token (the one rules without
 * `resource` and the userinfo endpoint get) is asked for at once with the new refresh token,
 * naming no API; without a refresh token, or when the OP refuses that refresh, the set holds the
 * API's token as its own, as a code exchange naming no API would. Runs under the vault's lock.
 * The app gets the OP's answer redacted: its access token's placeholder is the API token's.
 *
 * @example
 * ```ts
 * const api = codeExchangeApi(tokens, params)
 * if (api) return tokens.exclusive(() => acceptApiCode(tokens, answer, api, key, endpoint))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function acceptApiCode(tokens: TokenLifecycle, answer: TokenAnswer, api: ResourceIndicator, key: DpopKey | null, endpoint: string): Promise<Response> {
  const issued = tokenSetOf(answer, 'tokenResponseNotJson', null, key !== null);
  const token: ApiToken = { accessToken: issued.accessToken, tokenType: issued.tokenType, scope: issued.scope, expiresAt: issued.expiresAt };
  let own = issued;
  if (issued.refreshToken) {
    const refreshed = await askToken(tokens, endpoint, refreshGrant(tokens.clientId, issued.refreshToken), key).catch(() => null);
    if (refreshed?.ok) {
      try {
        own = tokenSetOf(refreshed, 'refreshNotJson', issued, key !== null);
      } catch {
        // A broken answer: the set keeps the API's token, as without this refresh.
      }
    }
  }
  const previous = await tokens.accept(own, null, 'authorization_code', key);
  const held = (await tokens.current()) ?? own;
  await tokens.saveWithApis(held, { ...(await tokens.apiTokens()), [api.value]: token });
  const secrets = [
    issued.accessToken,
    issued.refreshToken,
    own.accessToken,
    own.refreshToken,
    held.accessToken,
    held.refreshToken,
    previous?.accessToken,
    previous?.refreshToken,
  ].filter((t): t is string => typeof t === 'string');
  const { redact, keep } = tokens.config;
  const body = redactTokenResponse(answer.json as Record<string, unknown>, { redact, keep, secrets, placeholders: apiPlaceholders(tokens, held, token) });
  return new Response(JSON.stringify(body), { status: answer.status, statusText: answer.statusText, headers: JSON_HEADERS });
}
