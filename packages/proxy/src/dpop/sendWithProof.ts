import type { DpopKey } from './DpopKey.js';
import type { DpopNonces } from './DpopNonces.js';
import { dpopProof } from './dpopProof.js';
import { isNonceChallenge } from './isNonceChallenge.js';

// Dpop.send's work, in a chunk of its own: loaded with the first request that carries a proof.

/**
 * Sends a request with a fresh proof made by `key`, with the server's last nonce (`nonces`). When
 * the server answers with a nonce challenge (`use_dpop_nonce`), sends it once more with the new
 * nonce; a second challenge is the server's answer, returned as it is: never a loop.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 * @example
 * ```ts
 * const response = await sendWithProof(nonces, url, 'GET', key, accessToken, 'resource-server', (proof) => fetch(url, { headers: { dpop: proof } }))
 * ```
 */
export async function sendWithProof(
  nonces: DpopNonces,
  url: string,
  method: string,
  key: DpopKey,
  accessToken: string | undefined,
  server: 'authorization-server' | 'resource-server',
  request: (proof: string) => Promise<Response>,
): Promise<Response> {
  const attempt = async (): Promise<Response> => {
    const nonce = nonces.get(url);
    const proof = await dpopProof(key, { htm: method, htu: url, ...(accessToken !== undefined ? { accessToken } : {}), ...(nonce !== undefined ? { nonce } : {}) });
    const response = await request(proof);
    nonces.remember(url, response);
    return response;
  };
  const first = await attempt();
  if (!(await isNonceChallenge(first, server))) return first;
  await first.body?.cancel();
  return attempt();
}
