import type { RevocationOutcome } from '@tokenvault/protocol';
import type { TokenSet } from './TokenStore.js';
import { upstreamFetch } from './upstream.js';

/** What a logout's revocation came to. */
export interface Revocation {
  outcome: RevocationOutcome;
  /** The status of the first answer that refused, when `outcome` is `refused`. */
  status?: number;
}

/**
 * Revokes the refresh token, then the access token, at the OP's revocation endpoint (RFC 7009),
 * as a public client: the `client_id` parameter identifies it (§2.1). Every answer counts: a
 * refusal (an error status) or no answer is reported, never swallowed. Never throws.
 *
 * @example
 * ```ts
 * const { outcome } = await revokeTokens(metadata.revocation_endpoint, tokens, 'spa', 30_000)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revokeTokens(endpoint: string | undefined, tokens: TokenSet | null, clientId: string, timeoutMs: number): Promise<Revocation> {
  if (!tokens) return { outcome: 'nothing-to-revoke' };
  if (!endpoint) return { outcome: 'no-endpoint' };
  const answers: (number | 'failed')[] = [];
  const revoke = async (token: string, hint: string): Promise<void> => {
    try {
      const response = await upstreamFetch(
        endpoint,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, token_type_hint: hint, client_id: clientId }),
        },
        timeoutMs,
      );
      await response.body?.cancel().catch(() => {});
      answers.push(response.status);
    } catch {
      answers.push('failed');
    }
  };
  // The refresh token first: revoking it also ends the grant behind the access token. The access
  // token is revoked even when that failed: it may still be revocable on its own.
  if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token');
  await revoke(tokens.accessToken, 'access_token');
  const refused = answers.find((answer): answer is number => typeof answer === 'number' && (answer < 200 || answer > 299));
  if (refused !== undefined) return { outcome: 'refused', status: refused };
  if (answers.includes('failed')) return { outcome: 'failed' };
  return { outcome: 'revoked' };
}
