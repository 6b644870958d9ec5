/**
 * Base64url without padding (RFC 4648 §5) of some bytes, or of a string's UTF-8: as JWS, RFC 7638
 * thumbprints and PKCE use it.
 *
 * @example
 * base64url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function base64url(input: ArrayBuffer | Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input instanceof Uint8Array ? input : new Uint8Array(input);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random base64url string of `bytes` bytes of entropy (state, nonce, PKCE verifier). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * The PKCE S256 challenge of a verifier.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}
