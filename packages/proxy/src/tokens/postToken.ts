import type { Dpop } from '../dpop/Dpop.js';
import type { DpopKey } from '../dpop/DpopKey.js';
import { upstreamFetch } from '../network/upstream.js';

/**
 * A POST to the token endpoint; with a DPoP proof made by `key` when there is one (and once more
 * with the OP's nonce when it asks for one, see Dpop.send).
 *
 * @example
 * ```ts
 * const response = await postToken(metadata.token_endpoint, params, key, dpop, 30_000)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function postToken(endpoint: string, params: URLSearchParams, key: DpopKey | null, dpop: Dpop, timeoutMs: number): Promise<Response> {
  const post = (proof?: string): Promise<Response> =>
    upstreamFetch(
      endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(proof ? { dpop: proof } : {}) },
        body: params,
      },
      timeoutMs,
    );
  return key ? dpop.send(endpoint, 'POST', key, undefined, 'authorization-server', post) : post();
}
