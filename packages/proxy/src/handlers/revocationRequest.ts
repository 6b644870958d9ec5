import { revoke } from './revoke.js';
import { readAnswer } from '../tokens/tokenEndpoint.js';
import { tokenErrorResponse } from './tokenErrorResponse.js';
import { tokenParam } from './tokenParam.js';
import type { SerializedRequest } from '@tokenvault/protocol';
import type { VaultAccess } from '../tokens/VaultAccess.js';

/**
 * A revocation request from the app's OIDC library (`token=REDACTED` and a `token_type_hint`),
 * performed by the proxy with the stored token of that kind and the vault's `client_id` (a public
 * client identifies itself so, RFC 7009 §2.1), rebuilt from those three fields only. When the OP
 * accepts it and the refresh token (or the only token) is gone, the vault is cleared in every tab;
 * a revoked access token with a refresh token left is marked expired, so the next API call
 * refreshes first. With nothing stored there is nothing to revoke: `200`, as RFC 7009 §2.2 answers
 * an unknown token.
 *
 * @example
 * ```ts
 * // the app (oidc-client-ts): await userManager.revokeTokens(['refresh_token'])
 * revocationRequest(access, request, metadata.revocation_endpoint)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export async function revocationRequest(access: VaultAccess, request: SerializedRequest, endpoint: string): Promise<Response> {
  return access.exclusive(async () => {
    const tokens = await access.tokens();
    const { kind, token } = tokenParam(request, tokens, access.clientId, access.placeholderShape);
    if (!tokens || !token) return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
    const response = await revoke(endpoint, token, kind, access.clientId, access.upstreamMs);
    if (!response.ok) {
      // A refused revocation is the OP's answer, passed on (rebuilt); the tokens stay, so a retry can
      // succeed. Without an OAuth error body it is still the OP's status, with TV_REVOCATION_REFUSED.
      return tokenErrorResponse(await readAnswer(response), [tokens.accessToken, tokens.refreshToken], 'TV_REVOCATION_REFUSED');
    }
    await response.body?.cancel();
    if (kind === 'refresh_token' || !tokens.refreshToken) await access.signOut();
    else await access.save({ ...tokens, expiresAt: 0 });
    return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
  });
}
