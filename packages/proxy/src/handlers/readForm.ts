import { VaultError, type SerializedRequest } from '@tokenvault/protocol';

/**
 * Parameters that decide what a token request does. Sent twice, the proxy and the OP could read
 * different ones (the first, the last, or both joined): refused. (`resource` may repeat, RFC 8707.)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export const TOKEN_REQUEST_SINGLE: readonly string[] = ['grant_type', 'code', 'refresh_token', 'code_verifier', 'redirect_uri', 'client_id', 'scope', 'device_code'];

/**
 * The form the app sent to an OP endpoint (token, revocation, introspection), checked:
 * `application/x-www-form-urlencoded`, and none of the `single` parameters twice. Throws
 * `TV_INVALID_REQUEST` otherwise; `kind` picks the message: a token request, or a revocation or
 * introspection request.
 *
 * @example
 * ```ts
 * const params = readForm(request, TOKEN_REQUEST_SINGLE, 'token') // URLSearchParams
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 ("MUST NOT be included more than once")
 */
export function readForm(request: SerializedRequest, single: readonly string[], kind: 'token' | 'tokenParam'): URLSearchParams {
  const type = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new VaultError('TV_INVALID_REQUEST', { why: kind === 'token' ? 'tokenNotForm' : 'tokenParamNotForm' });
  }
  const params = new URLSearchParams(new TextDecoder().decode(request.body ?? new ArrayBuffer(0)));
  for (const name of single) {
    if (params.getAll(name).length > 1) throw new VaultError('TV_INVALID_REQUEST', { why: kind === 'token' ? 'tokenParamRepeated' : 'paramRepeated', name });
  }
  return params;
}
