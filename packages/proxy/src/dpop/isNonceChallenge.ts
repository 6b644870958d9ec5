// Apart from DpopNonces (which Dpop keeps from the start): only a request with a proof, or a
// protected request's 401, asks it, in chunks loaded then.

/**
 * True when `response` asks for a proof with a (new) server nonce: from an authorization server a
 * 400 whose JSON `error` is `use_dpop_nonce` (§8), from a resource server a 401 whose
 * `WWW-Authenticate` has a DPoP challenge with `error="use_dpop_nonce"` (§9). Only with a
 * `DPoP-Nonce` header: without one there is nothing to retry with. Reads a clone of the body.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export async function isNonceChallenge(response: Response, from: 'authorization-server' | 'resource-server'): Promise<boolean> {
  if (!response.headers.has('dpop-nonce')) return false;
  if (from === 'resource-server') {
    return response.status === 401 && /(?:^|,)\s*DPoP\b[^]*\berror\s*=\s*"?use_dpop_nonce"?/i.test(response.headers.get('www-authenticate') ?? '');
  }
  if (response.status !== 400) return false;
  try {
    const body = (await response.clone().json()) as { error?: unknown } | null;
    return body?.error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}
