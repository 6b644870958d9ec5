import { VaultError } from '@tokenvault/protocol';
import { grantIsDead } from './grantIsDead.js';
import type { TokenLifecycle } from './TokenLifecycle.js';
import { readTokenSet } from './toTokenSet.js';
import type { TokenSet } from './TokenStore.js';

/**
 * TokenLifecycle.refresh's work, in a chunk of its own (the frame loads it when a token first needs
 * a refresh): refreshes the tokens unless another request or tab already did since `used` was read,
 * under the cross-tab lock. Only `invalid_grant` clears the vault (`TV_REFRESH_FAILED`,
 * grantIsDead); another refusal is `TV_REFRESH_REJECTED`, a 5xx `TV_UPSTREAM_UNREACHABLE`, a
 * timeout `TV_UPSTREAM_TIMEOUT`: the tokens stay.
 *
 * @example
 * ```ts
 * const fresh = await refreshTokens(tokens, used.accessToken, async () => (await metadata()).token_endpoint)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokens(tokens: TokenLifecycle, used: string, tokenEndpoint: () => Promise<string>): Promise<TokenSet> {
  return tokens.exclusive(async () => {
    const current = await tokens.tokens(true);
    if (!current) throw new VaultError('TV_NOT_SIGNED_IN');
    if (current.accessToken !== used && !tokens.expiring(current)) return current;
    if (!current.refreshToken) {
      await tokens.signOut('refresh-failed');
      throw new VaultError('TV_REFRESH_FAILED', { why: 'expiredNoRefreshToken' });
    }
    const key = await tokens.keyFor(current);
    const response = await tokens.post(
      await tokenEndpoint(),
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: tokens.clientId }),
      key,
    );
    // Only the OP saying the grant is dead signs the user out; anything else keeps the tokens.
    if (await grantIsDead(response)) {
      await tokens.signOut('refresh-failed');
      throw new VaultError('TV_REFRESH_FAILED', { why: 'refreshRefused', status: response.status });
    }
    if (response.status >= 500) throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'refreshStatus', status: response.status });
    if (!response.ok) throw new VaultError('TV_REFRESH_REJECTED', { why: 'refreshRejected', status: response.status });
    const next = await readTokenSet(response, 'refreshNotJson', current, key !== null);
    await tokens.save(next);
    return next;
  });
}
