/**
 * True when the token endpoint's refusal says the grant itself is dead: RFC 6749 §5.2's
 * `invalid_grant` (the refresh token expired, was revoked, or was already used). Only that answer
 * costs the user the session; `invalid_request` (a malformed request, perhaps one the app's script
 * sent), `invalid_client`, `unauthorized_client`, a 5xx or a body that is no OAuth error leave the
 * tokens where they are. Reads a copy of the response: the caller still has its body.
 *
 * @example
 * ```ts
 * if (!response.ok && (await grantIsDead(response))) await tokens.signOut('refresh-failed')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export async function grantIsDead(response: Response): Promise<boolean> {
  if (response.status !== 400 && response.status !== 401) return false;
  try {
    const json: unknown = await response.clone().json();
    return typeof json === 'object' && json !== null && (json as { error?: unknown }).error === 'invalid_grant';
  } catch {
    return false;
  }
}
