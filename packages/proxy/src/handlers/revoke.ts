import type { TokenKind } from '../tokens/placeholder.js';
import { upstreamFetch } from '../network/upstream.js';

/**
 * One revocation request (RFC 7009 §2.1): the token, its type hint and the client's ID as a form,
 * POSTed to the OP's revocation endpoint. The answer comes back unread: the app's revocation
 * (revocationRequest) passes a refusal on, the vault's logout (revokeTokens) counts it.
 *
 * @example
 * ```ts
 * const response = await revoke(endpoint, tokens.refreshToken, 'refresh_token', 'spa', 10_000)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export function revoke(endpoint: string, token: string, hint: TokenKind, clientId: string, timeoutMs: number): Promise<Response> {
  return upstreamFetch(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: hint, client_id: clientId }),
    },
    timeoutMs,
  );
}
