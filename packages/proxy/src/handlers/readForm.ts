import { dev, VaultError, type SerializedRequest } from '@tokenvault/protocol';

/**
 * Parameters that decide what a token request does. Sent twice, the proxy and the OP could read
 * different ones (the first, the last, or both joined): refused. (`resource` may repeat, RFC 8707.)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export const TOKEN_REQUEST_SINGLE: readonly string[] = ['grant_type', 'code', 'refresh_token', 'code_verifier', 'redirect_uri', 'client_id', 'scope', 'device_code'];

/**
 * The form the app sent to an OP endpoint (token, revocation, introspection), checked:
 * `application/x-www-form-urlencoded`, and none of the `single` parameters twice. Throws
 * `TV_INVALID_REQUEST` otherwise; `what` names the requests in the development message.
 *
 * @example
 * ```ts
 * const params = readForm(request, TOKEN_REQUEST_SINGLE, 'Token requests') // URLSearchParams
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 ("MUST NOT be included more than once")
 */
export function readForm(request: SerializedRequest, single: readonly string[], what: string): URLSearchParams {
  const type = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new VaultError('TV_INVALID_REQUEST', dev ? `${what} must be application/x-www-form-urlencoded` : '');
  }
  const params = new URLSearchParams(new TextDecoder().decode(request.body ?? new ArrayBuffer(0)));
  for (const name of single) {
    if (params.getAll(name).length > 1) throw new VaultError('TV_INVALID_REQUEST', dev ? `${what} must not repeat the parameter ${name}` : '');
  }
  return params;
}
