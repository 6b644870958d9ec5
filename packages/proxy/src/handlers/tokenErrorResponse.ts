import { VaultError, errorBody } from '@tokenvault/protocol';
import { REDACTED } from '../tokens/redact.js';
import type { TokenAnswer } from '../tokens/tokenEndpoint.js';

// RFC 6749 §5.2: error and error_description are printable ASCII without '"' and '\'.
const ERROR_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,1024}$/;

/**
 * The answer the app gets to a token request the OP refused, rebuilt from `error`,
 * `error_description` and `error_uri` only, with every copy of a token the vault holds cut out: an
 * OP that echoes the request's parameters must not hand the app the refresh token the proxy put
 * in. Anything else the OP sent (fields, headers, a body that is not an OAuth error) stays behind.
 * A body without a valid `error` is `TV_INVALID_TOKEN_RESPONSE` (502) at the token endpoint; at an
 * endpoint whose refusal is itself the answer (revocation: Glewlwyd refuses a public client with
 * an empty `401`), `refused` names the code to answer instead, with the OP's own 4xx/5xx status, so
 * that the app can tell the OP's refusal from a broken answer.
 *
 * @example
 * ```ts
 * if (!answer.ok) return tokenErrorResponse(answer, [current.refreshToken])
 * if (!response.ok) return tokenErrorResponse(await readAnswer(response), [tokens.refreshToken], 'TV_REVOCATION_REFUSED')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function tokenErrorResponse(response: TokenAnswer, secrets: readonly (string | null | undefined)[], refused?: 'TV_REVOCATION_REFUSED'): Response {
  const { json } = response;
  const body = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const cut = (value: string): string => {
    let out = value;
    for (const secret of secrets) if (secret && secret.length >= 8) out = out.replaceAll(secret, REDACTED);
    return out;
  };
  const text = (value: unknown): string | undefined => (typeof value === 'string' && ERROR_TEXT.test(value) ? cut(value) : undefined);
  const error = text(body.error);
  if (error === undefined && refused && response.status >= 400) {
    const refusal = errorBody(new VaultError(refused, { why: 'revocationRefused', status: response.status }));
    return new Response(JSON.stringify(refusal), { status: response.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  }
  if (error === undefined) {
    throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why: 'tokenErrorNotOAuth', status: response.status });
  }
  const out: Record<string, string> = { error };
  const description = text(body.error_description);
  if (description !== undefined) out.error_description = description;
  const uri = text(body.error_uri);
  if (uri !== undefined && URL.canParse(uri) && /^https?:$/.test(new URL(uri).protocol)) out.error_uri = uri;
  return new Response(JSON.stringify(out), {
    status: response.status,
    statusText: response.statusText,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
