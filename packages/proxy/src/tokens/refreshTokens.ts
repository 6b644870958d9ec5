import { VaultError } from '@tokenvault/protocol';
import type { TokenLifecycle } from './TokenLifecycle.js';
import { askToken, refreshGrant, refreshRefused, tokenSetOf } from './tokenEndpoint.js';
import type { TokenSet } from './TokenStore.js';

/**
 * TokenLifecycle.refresh's work, in a chunk of its own (the frame loads it when a token first needs
 * a refresh): refreshes the tokens unless another request or tab already did since `used` was read,
 * under the cross-tab lock. Only `invalid_grant` clears the vault (`TV_REFRESH_FAILED`,
 * refreshRefused); another refusal is `TV_REFRESH_REJECTED`, a 5xx `TV_UPSTREAM_UNREACHABLE`, a
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
    const answer = await askToken(tokens, await tokenEndpoint(), refreshGrant(tokens.clientId, current.refreshToken), key);
    // Only the OP saying the grant is dead signs the user out; anything else keeps the tokens.
    if (!answer.ok) {
      await refreshRefused(
        tokens,
        answer,
        new VaultError('TV_REFRESH_FAILED', { why: 'refreshRefused', status: answer.status }),
        new VaultError('TV_REFRESH_REJECTED', { why: 'refreshRejected', status: answer.status }),
      );
    }
    const next = tokenSetOf(answer, 'refreshNotJson', current, key !== null);
    await tokens.save(next);
    return next;
  });
}
