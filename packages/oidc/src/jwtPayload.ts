/**
 * The payload of a JWT as an object, read without checking its signature, or null when `jwt` is
 * not a JWT with a JSON object payload. The proxy reads only tokens it got itself from the OP's
 * token endpoint, over TLS, in answer to its own request (OpenID Connect Core §3.1.3.7, item 6).
 *
 * @example
 * ```ts
 * jwtPayload(idToken)?.sub // 'alice'
 * jwtPayload('not a jwt')  // null
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function jwtPayload(jwt: unknown): Record<string, unknown> | null {
  const part = typeof jwt === 'string' ? jwt.split('.')[1] : undefined;
  if (!part) return null;
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)))) as unknown;
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
