import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { placeholderFor, placeholderKind, type TokenKind } from '../tokens/placeholder.js';
import { acceptApiCode, apiTokenRequest, codeExchangeApi } from './apiTokenRequest.js';
import { redactTokenResponse } from '../tokens/redact.js';
import { DpopKey } from '../dpop/DpopKey.js';
import { readForm, TOKEN_REQUEST_SINGLE } from './readForm.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';
import { askToken, grantIsDead, tokenSetOf, type TokenAnswer } from '../tokens/tokenEndpoint.js';
import type { TokenSet } from '../tokens/TokenStore.js';
import { tokenErrorResponse } from './tokenErrorResponse.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * A successful token response: stored (TokenLifecycle.accept), and answered to the app rebuilt
 * from safe fields (redactTokenResponse). `key` is the DPoP key the request's proof was made with.
 */
async function acceptTokens(
  tokens: TokenLifecycle,
  answer: TokenAnswer,
  previous: TokenSet | null,
  grant: 'authorization_code' | 'refresh_token',
  key: DpopKey | null,
  requested: string | null = null,
): Promise<Response> {
  // An answer without scope has the requested one (RFC 6749 §5.1): keepWider compares with that.
  const next = tokenSetOf(answer, 'tokenResponseNotJson', previous, key !== null, requested);
  const stored = await tokens.accept(next, previous, grant, key);
  const secrets = [next.accessToken, next.refreshToken, previous?.accessToken, previous?.refreshToken, stored?.accessToken, stored?.refreshToken].filter(
    (t): t is string => typeof t === 'string',
  );
  const { redact, keep, mode } = tokens.config;
  // Sealed mode: a signed ID token is a credential wherever one is accepted (token exchange, workload
  // federation), and the app has vault.user() for the claims: it never gets the token itself.
  const fields = mode === 'sealed' ? [...redact, 'id_token'] : redact;
  // The placeholders stand for the tokens the vault holds now (keepWider may have kept the wider set).
  const held = (await tokens.current()) ?? next;
  const placeholders = { access_token: placeholderFor(held, 'access_token', tokens.placeholder), refresh_token: placeholderFor(held, 'refresh_token', tokens.placeholder) };
  const body = redactTokenResponse(answer.json as Record<string, unknown>, { redact: fields, keep, secrets, placeholders });
  return new Response(JSON.stringify(body), { status: answer.status, statusText: answer.statusText, headers: JSON_HEADERS });
}

/**
 * The app's own request to the token endpoint (drop-in mode: its OAuth library redeems codes and
 * refreshes through the vault; sealed mode refuses both, `TV_SEALED_MODE`). A code is redeemed with
 * a new DPoP key when a rule wants DPoP; a refresh must send the refresh token's placeholder
 * (`refresh_token=REDACTED`, or the JWT-shaped one of this grant), which the vault replaces with the
 * one it holds, under the lock. The app gets a redacted answer, or the OP's error rebuilt without
 * any token; only `invalid_grant` signs the user out (grantIsDead).
 *
 * @example
 * ```ts
 * return tokenRequest(tokens, request, metadata.token_endpoint)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function tokenRequest(tokens: TokenLifecycle, request: SerializedRequest, endpoint: string): Promise<Response> {
  const params = readForm(request, TOKEN_REQUEST_SINGLE, 'token');
  const grantType = params.get('grant_type');
  if (grantType === 'authorization_code') {
    if (tokens.config.mode === 'sealed') {
      throw new VaultError('TV_SEALED_MODE', { why: 'sealedCode' });
    }
    // A new key at each sign-in: nothing bound to an earlier one carries over.
    const key = tokens.wantsDpop ? await DpopKey.generate() : null;
    const answer = await askToken(tokens, endpoint, params, key);
    // The tokens held now (a sign-in over a live session) must not come back in an echo either.
    if (!answer.ok) return tokenErrorResponse(answer, await tokens.heldSecrets());
    // A code exchange naming one API (RFC 8707 resource) got that API's token: into its slot.
    const api = codeExchangeApi(tokens, params);
    const result = await tokens.exclusive(async () => (api ? acceptApiCode(tokens, answer, api, key, endpoint) : acceptTokens(tokens, answer, null, 'authorization_code', key)));
    tokens.signedIn();
    return result;
  }
  if (grantType === 'refresh_token') {
    // Sealed mode has no OIDC library in the app to serve: the vault refreshes on its own.
    if (tokens.config.mode === 'sealed') {
      throw new VaultError('TV_SEALED_MODE', { why: 'sealedRefresh' });
    }
    const sent = params.getAll('refresh_token');
    const { shape } = tokens.placeholder;
    // Only this vault's placeholder of a refresh token, in this one parameter, is swapped for the token.
    const isRefreshPlaceholder = (kind: TokenKind | 'any' | null): boolean => kind === 'any' || kind === 'refresh_token';
    const refused = (): VaultError => new VaultError('TV_INVALID_REQUEST', { why: 'refreshPlaceholder', shape });
    if (sent.length !== 1 || !isRefreshPlaceholder(placeholderKind(sent[0], null, shape))) throw refused();
    // One API's token (RFC 8707 resource): its own slot, never the sign-in's set.
    const forApi = await apiTokenRequest(tokens, params);
    if (forApi) return forApi;
    return tokens.exclusive(async () => {
      const current = await tokens.tokens(true);
      if (!current?.refreshToken) throw new VaultError('TV_NOT_SIGNED_IN', { why: 'noRefreshToken' });
      if (!isRefreshPlaceholder(placeholderKind(sent[0], current, shape))) throw refused();
      const key = await tokens.keyFor(current);
      // The credential goes into this one parameter and nowhere else.
      params.set('refresh_token', current.refreshToken);
      const answer = await askToken(tokens, endpoint, params, key);
      if (!answer.ok) {
        // Only the OP saying the grant is dead signs out: a malformed request (invalid_request, perhaps
        // sent by app script), invalid_client or a 5xx gets the OP's error and keeps the tokens.
        if (grantIsDead(answer)) await tokens.signOut('refresh-failed');
        return tokenErrorResponse(answer, [current.refreshToken, current.accessToken]);
      }
      return acceptTokens(tokens, answer, current, 'refresh_token', key, params.get('scope'));
    });
  }
  throw new VaultError('TV_UNSUPPORTED_GRANT', { why: 'grantType', grantType: String(grantType) });
}
