import { dev, VaultError, type SerializedRequest } from '@tokenvault/protocol';

/**
 * Parameters that decide what a token request does. Sent twice, the proxy and the OP could read
 * different ones (the first, the last, or both joined): refused. (`resource` may repeat, RFC 8707.)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
const SINGLE = ['grant_type', 'code', 'refresh_token', 'code_verifier', 'redirect_uri', 'client_id', 'scope', 'device_code'];

/**
 * The form of a token request the app sent, checked: `application/x-www-form-urlencoded`, and no
 * deciding parameter twice. Throws `TV_INVALID_REQUEST` otherwise.
 *
 * @example
 * ```ts
 * const params = readTokenForm(request) // URLSearchParams
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 ("MUST NOT be included more than once")
 */
export function readTokenForm(request: SerializedRequest): URLSearchParams {
  const type = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (!type?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new VaultError('TV_INVALID_REQUEST', dev ? 'Token requests must be application/x-www-form-urlencoded' : '');
  }
  const params = new URLSearchParams(new TextDecoder().decode(request.body ?? new ArrayBuffer(0)));
  for (const name of SINGLE) {
    if (params.getAll(name).length > 1) throw new VaultError('TV_INVALID_REQUEST', dev ? `The token request repeats the parameter ${name}` : '');
  }
  return params;
}
