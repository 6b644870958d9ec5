import { VaultError } from '@tokenvault/protocol';
import type { Vault } from './createVault.js';
import { idTokenClaims } from './idTokenClaims.js';
import type { SessionMonitorSettings } from './sessionMonitorOptions.js';

/** The re-check's client: its ID, redirect URI, and the issuer its ID token must name. */
export type RecheckClient = Pick<SessionMonitorSettings, 'issuer' | 'clientId' | 'redirectUri'>;

/**
 * Redeems a re-check's code through the vault (the proxy keeps the tokens) and returns the ID
 * token, checked: its issuer, audience and nonce must be the request's
 * (`TV_SESSION_CHECK_FAILED` otherwise, as for a refused token request).
 *
 * @example
 * ```ts
 * const idToken = await redeemRecheck(vault, settings, endpoints.token_endpoint, code, codeVerifier, nonce)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function redeemRecheck(vault: Pick<Vault, 'fetch'>, client: RecheckClient, tokenEndpoint: string, code: string, codeVerifier: string, nonce: string): Promise<string> {
  const { issuer, clientId, redirectUri } = client;
  const response = await vault.fetch(tokenEndpoint, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: clientId }),
  });
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    throw new VaultError(
      'TV_SESSION_CHECK_FAILED',
      `The re-check's token request failed (${response.status} ${typeof body?.error === 'string' ? body.error : ''})`.replace(' )', ')'),
    );
  }
  const idToken = body?.id_token;
  const claims = idTokenClaims(idToken);
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== issuer || !audience.includes(clientId) || claims.nonce !== nonce) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', "The re-check's ID token has another issuer, audience or nonce");
  }
  // A string: idTokenClaims accepts nothing else.
  return idToken as string;
}
