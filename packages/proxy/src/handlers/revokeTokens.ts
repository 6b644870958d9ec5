import type { RevocationAnswer, RevocationOutcome } from '@tokenvault/protocol';
import type { ApiTokens, TokenSet } from '../tokens/TokenStore.js';
import { revoke as revokeOne } from './revoke.js';

/** What a logout's revocation came to. */
export interface Revocation {
  outcome: RevocationOutcome;
  /** The status of the first answer that refused, when `outcome` is `refused`. */
  status?: number;
  /** Each revocation request and its answer, in order. */
  answers: RevocationAnswer[];
}

/**
 * Revokes the refresh token, then the access token, then each API's own access token (`apis`), at the OP's revocation endpoint (RFC 7009),
 * as a public client: the `client_id` parameter identifies it (§2.1). Every answer counts: a
 * refusal (an error status) or no answer is reported, never swallowed. Never throws.
 *
 * @example
 * ```ts
 * const { outcome } = await revokeTokens(metadata.revocation_endpoint, tokens, 'spa', 30_000)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revokeTokens(
  endpoint: string | undefined,
  tokens: Pick<TokenSet, 'accessToken' | 'refreshToken'> | null,
  clientId: string,
  timeoutMs: number,
  apis: ApiTokens = {},
): Promise<Revocation> {
  if (!tokens) return { outcome: 'nothing-to-revoke', answers: [] };
  if (!endpoint) return { outcome: 'no-endpoint', answers: [] };
  const answers: RevocationAnswer[] = [];
  const revoke = async (token: string, hint: RevocationAnswer['token'], api?: string): Promise<void> => {
    const which = api === undefined ? { token: hint } : { token: hint, api };
    try {
      const response = await revokeOne(endpoint, token, hint, clientId, timeoutMs);
      await response.body?.cancel().catch(() => {});
      answers.push({ ...which, status: response.status });
    } catch {
      // No answer the proxy may read: a network error, a CORS refusal, the time limit.
      answers.push({ ...which, status: null });
    }
  };
  // The refresh token first: revoking it also ends the grant behind the access token. The access
  // token is revoked even when that failed: it may still be revocable on its own.
  if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token');
  await revoke(tokens.accessToken, 'access_token');
  // Every API's own token (RFC 8707): each is a credential of its own, revoked on its own.
  for (const [api, token] of Object.entries(apis)) if (token) await revoke(token.accessToken, 'access_token', api);
  // An OP that cannot revoke an access token (a JWT) answers 400 unsupported_token_type (RFC 7009
  // §2.2.1): that token stays valid until it expires, which the app is told, not spared.
  const refused = answers.find((answer): answer is RevocationAnswer & { status: number } => answer.status !== null && (answer.status < 200 || answer.status > 299));
  if (refused) return { outcome: 'refused', status: refused.status, answers };
  if (answers.some((answer) => answer.status === null)) return { outcome: 'failed', answers };
  return { outcome: 'revoked', answers };
}
