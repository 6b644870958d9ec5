import { VaultError } from '@tokenvault/protocol';
import { DpopKey } from '../dpop/DpopKey.js';
import type { ProviderMetadata } from '../network/discover.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';
import { askToken, oauthError } from '../tokens/tokenEndpoint.js';
import { toTokenSet } from '../tokens/toTokenSet.js';

/**
 * Sealed mode: redeems the code of the proxy's own authorization request at the token endpoint,
 * lets `verify` check the token response (the ID token's issuer, audience and nonce) before
 * anything is stored, then stores the tokens as keepWider decides (an answer narrower than the
 * stored set of the same user leaves that set; an answer without `scope` has `scope`, the one the
 * authorization request asked for, RFC 6749 §5.1). With a rule marked `dpop`, the code is redeemed
 * with a proof made by `key` (or a new key). A refusal is `TV_SIGN_IN_FAILED`; nothing is stored.
 * A response that `verify` rejects is not kept, and its tokens are revoked (see `discard`).
 *
 * @example
 * ```ts
 * await redeemCode(tokens, metadata, params, (json) => checkIdToken(json.id_token), key)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenEndpoint
 */
export async function redeemCode(
  tokens: TokenLifecycle,
  op: OpEndpoints,
  params: URLSearchParams,
  verify: (json: Record<string, unknown>) => void,
  key: DpopKey | null,
  scope: string | null = null,
): Promise<void> {
  const { json, keep, discard } = await exchangeCode(tokens, op, params, key, scope);
  try {
    verify(json);
  } catch (err) {
    await discard();
    throw err;
  }
  await keep();
}

/** The OP's endpoints a code exchange uses: the token endpoint, and the revocation endpoint for tokens not kept. */
export type OpEndpoints = Pick<ProviderMetadata, 'token_endpoint' | 'revocation_endpoint'>;

/** A redeemed code's token response, not kept yet: `keep` stores it (once its ID token is checked), `discard` revokes it. */
export interface CodeExchange {
  /** The token response. */
  json: Record<string, unknown>;
  /** Stores the tokens (with the DPoP key their request was proved with), as keepWider decides. */
  keep: () => Promise<void>;
  /**
   * Revokes the response's refresh token and access token at the OP (RFC 7009), for a response the
   * caller does not keep (an ID token that fails a check, another user's renewal): the OP issued
   * them, and nothing else will ever end them. Best effort: never throws.
   */
  discard: () => Promise<void>;
}

/**
 * Redeems a code and keeps nothing: the caller checks the response (the ID token) and only then
 * calls `keep`. `scope` is the one the authorization request asked for (an answer without `scope`
 * has it). A refusal is `TV_SIGN_IN_FAILED`.
 *
 * @example
 * ```ts
 * const { json, keep, discard } = await exchangeCode(tokens, metadata, params, key)
 * if (checks(json.id_token)) await keep()
 * else await discard()
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenEndpoint
 */
export async function exchangeCode(tokens: TokenLifecycle, op: OpEndpoints, params: URLSearchParams, key: DpopKey | null, scope: string | null = null): Promise<CodeExchange> {
  const proofKey = tokens.wantsDpop ? (key ?? (await DpopKey.generate())) : null;
  const answer = await askToken(tokens, op.token_endpoint, params, proofKey);
  const { json, status } = answer;
  if (json === undefined) throw new VaultError('TV_SIGN_IN_FAILED', { why: 'codeResponseNotJson', status });
  if (!answer.ok || typeof json !== 'object' || json === null) {
    throw new VaultError('TV_SIGN_IN_FAILED', { why: 'codeRefused', status, error: oauthError(answer)?.slice(0, 64) ?? '' });
  }
  const body = json as Record<string, unknown>;
  return {
    json: body,
    keep: async () => {
      const next = toTokenSet(body, null, proofKey !== null, scope);
      await tokens.exclusive(async () => tokens.accept(next, null, 'authorization_code', proofKey));
    },
    discard: async () => {
      const { access_token: accessToken, refresh_token: refreshToken } = body;
      if (typeof accessToken !== 'string') return;
      const { revokeTokens } = await import('./revokeTokens.js');
      const { clientId, timeouts } = tokens.config;
      await revokeTokens(op.revocation_endpoint, { accessToken, refreshToken: typeof refreshToken === 'string' ? refreshToken : null }, clientId, timeouts.upstreamMs);
    },
  };
}
