import { VaultError } from '@tokenvault/protocol';
import type { ResourceIndicator } from '@tokenvault/config';
import type { TokenLifecycle } from './TokenLifecycle.js';
import { askToken, oauthError, refreshGrant, refreshRefused, tokenSetOf } from './tokenEndpoint.js';
import { tokenLock, type TokenLock } from './tokenLock.js';
import type { ApiToken } from './TokenStore.js';

/**
 * One token per API (RFC 8707): a rule that names its API (`resource`, or `audience`) gets a
 * token issued for that API only, got with the sign-in's refresh token (`resource` on the refresh
 * grant, §2.2) and kept in a slot of its own beside the sign-in's set. A layer on TokenLifecycle:
 * the sign-in's set, its key and its sign-out stay there.
 *
 * Locks: an API's refreshes queue on a Web Lock of their own (`tokenvault:api:<resource>`), so two
 * tabs at expiry refresh an API once; the refresh token itself is used under the vault's one lock
 * (TokenLifecycle.exclusive), so that APIs refreshing at once never use a rotated refresh token
 * twice. Each answer updates its API's slot and the sign-in's refresh token in one write.
 *
 * @example
 * ```ts
 * const api = { param: 'resource', value: 'https://api.example.com/' } as const
 * const token = await tokens.apis.current(api)       // the stored one, or a new one
 * const fresh = await tokens.apis.refresh(api, token.accessToken)  // after a 401
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export class ResourceTokens {
  #tokens: TokenLifecycle;
  #locks = new Map<string, TokenLock>();

  constructor(tokens: TokenLifecycle) {
    this.#tokens = tokens;
  }

  #lock(api: ResourceIndicator): TokenLock {
    let lock = this.#locks.get(api.value);
    if (!lock) {
      lock = tokenLock(`tokenvault:api:${api.value}`);
      this.#locks.set(api.value, lock);
    }
    return lock;
  }

  /** The API's token: the stored one while it does not expire within the skew, else a new one. `TV_NOT_SIGNED_IN` without a sign-in. */
  async current(api: ResourceIndicator): Promise<ApiToken> {
    if (!(await this.#tokens.current())) throw new VaultError('TV_NOT_SIGNED_IN');
    const held = (await this.#tokens.apiTokens())[api.value];
    if (held && !this.#tokens.expiring(held)) return held;
    return this.refresh(api, held?.accessToken ?? null);
  }

  /**
   * A new token for the API unless another request or tab got one since `used` was read (null:
   * none was held). The OP's `invalid_grant` signs the vault out (`TV_REFRESH_FAILED`): the grant
   * is dead. Any other refusal (`invalid_target`: the OP issues no token for this API) is
   * `TV_NO_API_TOKEN` and costs nothing else; no answer is `TV_UPSTREAM_UNREACHABLE`.
   */
  refresh(api: ResourceIndicator, used: string | null): Promise<ApiToken> {
    const tokens = this.#tokens;
    return this.#lock(api)(() =>
      tokens.exclusive(async () => {
        // Storage again, not the memory copy: another tab may have refreshed this API, or rotated the refresh token.
        const current = await tokens.tokens(true);
        if (!current) throw new VaultError('TV_NOT_SIGNED_IN');
        const apis = await tokens.apiTokens();
        const held = apis[api.value];
        if (held && held.accessToken !== used && !tokens.expiring(held)) return held;
        if (!current.refreshToken) throw new VaultError('TV_NO_API_TOKEN', { why: 'noRefreshTokenForApi', value: api.value });
        const key = await tokens.keyFor(current);
        const answer = await askToken(tokens, await tokens.tokenEndpoint(), refreshGrant(tokens.clientId, current.refreshToken, api), key);
        if (!answer.ok) {
          // The one sign-out rule of the vault (refreshRefused): only invalid_grant costs the session.
          await refreshRefused(
            tokens,
            answer,
            new VaultError('TV_REFRESH_FAILED', { why: 'refreshInvalidGrant' }),
            new VaultError('TV_NO_API_TOKEN', { why: 'noApiToken', api: api.value, status: answer.status, error: oauthError(answer) ?? 'without an error code' }),
          );
        }
        const next = tokenSetOf(answer, 'refreshNotJson', current, key !== null);
        const token: ApiToken = { accessToken: next.accessToken, tokenType: next.tokenType, scope: next.scope, expiresAt: next.expiresAt };
        // The sign-in's own access token stays; its refresh token (rotated) and ID token follow the answer.
        await tokens.saveWithApis({ ...current, refreshToken: next.refreshToken, idToken: next.idToken }, { ...apis, [api.value]: token });
        return token;
      }),
    );
  }
}
