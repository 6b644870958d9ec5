import { VaultError } from '@tokenvault/protocol';
import { DpopKey } from '../dpop/DpopKey.js';
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
 *
 * @example
 * ```ts
 * await redeemCode(tokens, metadata.token_endpoint, params, (json) => checkIdToken(json.id_token), key)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenEndpoint
 */
export async function redeemCode(
  tokens: TokenLifecycle,
  endpoint: string,
  params: URLSearchParams,
  verify: (json: Record<string, unknown>) => void,
  key: DpopKey | null,
  scope: string | null = null,
): Promise<void> {
  const { json, keep } = await exchangeCode(tokens, endpoint, params, key, scope);
  verify(json);
  await keep();
}

/** A redeemed code's token response, not kept yet: `keep` stores it (once its ID token is checked). */
export interface CodeExchange {
  /** The token response. */
  json: Record<string, unknown>;
  /** Stores the tokens (with the DPoP key their request was proved with), as keepWider decides. */
  keep: () => Promise<void>;
}

/**
 * Redeems a code and keeps nothing: the caller checks the response (the ID token) and only then
 * calls `keep`. `scope` is the one the authorization request asked for (an answer without `scope`
 * has it). A refusal is `TV_SIGN_IN_FAILED`.
 *
 * @example
 * ```ts
 * const { json, keep } = await exchangeCode(tokens, metadata.token_endpoint, params, key)
 * checkIdToken(json.id_token)
 * await keep()
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenEndpoint
 */
export async function exchangeCode(tokens: TokenLifecycle, endpoint: string, params: URLSearchParams, key: DpopKey | null, scope: string | null = null): Promise<CodeExchange> {
  const proofKey = tokens.wantsDpop ? (key ?? (await DpopKey.generate())) : null;
  const answer = await askToken(tokens, endpoint, params, proofKey);
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
  };
}
