import { type RevocationAnswer, type RevocationOutcome } from '@tokenvault/protocol';
import type { ProviderMetadata } from '../network/discover.js';
import { revokeTokens } from './revokeTokens.js';
import type { TokenLifecycle } from '../tokens/TokenLifecycle.js';

/** What a logout did. */
export interface LogoutResult {
  /** The OP's end-session URL, when the OP has one: with `id_token_hint` in drop-in mode, `client_id` only in sealed mode. */
  endSessionUrl?: string;
  revocation: RevocationOutcome;
  /** The status the OP refused the revocation with. */
  revocationStatus?: number;
  /** Each revocation request and its answer. */
  revocations: RevocationAnswer[];
  /** False when the store could not be cleared (IndexedDB failed); the memory copy is gone either way. */
  storageCleared: boolean;
}

/** How a logout was asked for. */
export interface LogoutRequest {
  /** Where the OP sends the browser after its end-session page (RP-Initiated Logout). */
  postLogoutRedirectUri?: string;
  /** Why, as every tab's `signed-out` event says: `logout` (the app asked) unless the session watch decided. */
  reason?: string;
  /**
   * Only when the vault holds something: the session watch's sign-out. Every tab's watch may see
   * the same change at the OP; the first to sign out clears the vault in every tab and tells them
   * why. A later one finding the vault empty does nothing, so that no tab hears a second
   * `signed-out` with another reason.
   */
  ifSignedIn?: boolean;
}

/**
 * Revokes the refresh token and every access token held (the sign-in's and each API's) at the OP
 * (RFC 7009) and clears the store, in every tab.
 * It cannot fail half-way: the tokens are revoked from the memory copy when IndexedDB fails, the
 * memory copy is cleared when deleting from IndexedDB fails, and what the OP answered is in the
 * result (and a `revocation-failed` event), never swallowed. `metadata` resolves to null when the
 * OP's discovery failed (nothing can be revoked then).
 * Returns the OP's end-session URL (RP-Initiated Logout) for the page to navigate to, with
 * `client_id` and, in drop-in mode, the ID token as `id_token_hint` (sealed mode hands the app no
 * signed ID token): only a top-level navigation can end the OP's session.
 *
 * @example
 * ```ts
 * const { endSessionUrl } = await logout(tokens, () => metadata().catch(() => null), { postLogoutRedirectUri: 'https://app.example.com/' })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export async function logout(tokens: TokenLifecycle, metadata: () => Promise<ProviderMetadata | null>, request: LogoutRequest = {}): Promise<LogoutResult> {
  const { postLogoutRedirectUri, reason = 'logout', ifSignedIn = false } = request;
  return tokens.exclusive(async () => {
    const memory = tokens.peek();
    // Another tab may have refreshed since: IndexedDB has the newest set; the memory copy when it fails.
    const held = await tokens.tokens().catch(() => memory ?? null);
    const apis = await tokens.apiTokens().catch(() => ({}));
    // Under the lock, so that of two tabs' watches deciding at once the second finds the first's sign-out done.
    if (ifSignedIn && !held && Object.keys(apis).length === 0) return { revocation: 'nothing-to-revoke', revocations: [], storageCleared: true };
    const op = await metadata();
    const { clientId, timeouts } = tokens.config;
    const revocation = op
      ? await revokeTokens(op.revocation_endpoint, held, clientId, timeouts.upstreamMs, apis)
      : { outcome: held ? ('failed' as const) : ('nothing-to-revoke' as const), answers: [] };
    const storageCleared = await tokens.signOut(reason).then(
      () => true,
      () => false,
    );
    if (revocation.outcome === 'refused' || revocation.outcome === 'failed') tokens.notify('revocation-failed');
    const result: LogoutResult = {
      revocation: revocation.outcome,
      ...('status' in revocation && revocation.status !== undefined ? { revocationStatus: revocation.status } : {}),
      revocations: revocation.answers,
      storageCleared,
    };
    if (!op?.end_session_endpoint) return result;
    const url = new URL(op.end_session_endpoint);
    url.searchParams.set('client_id', clientId);
    // The URL goes to the app's page, which navigates to it. Sealed mode hands the app no signed ID
    // token, so the OP identifies the client by client_id alone (RP-Initiated Logout 1.0 §2: then
    // it asks the user to confirm, as the dev OP always does).
    if (held?.idToken && tokens.config.mode !== 'sealed') url.searchParams.set('id_token_hint', held.idToken);
    if (postLogoutRedirectUri !== undefined) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return { ...result, endSessionUrl: url.href };
  });
}
