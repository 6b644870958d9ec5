import { base64url } from '@tokenvault/protocol';
import type { DpopKey } from './DpopKey.js';

/** What a proof is about: the request it goes with. */
export interface ProofTarget {
  /** The request's method. */
  htm: string;
  /** The request's URL; its query and fragment are left out of the proof. */
  htu: string;
  /** On a resource request: the access token the proof goes with, hashed into `ath`. */
  accessToken?: string;
  /** The server's last `DPoP-Nonce` for this origin, if it gave one. */
  nonce?: string;
}

/**
 * The `htu` of a proof: the URL without query and fragment, in the WHATWG URL serialisation
 * (which applies RFC 3986's syntax- and scheme-based normalisation: lower-case scheme and host,
 * no default port).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
export function proofHtu(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * A DPoP proof JWT (RFC 9449 §4.2), signed by hand with WebCrypto: header `typ: dpop+jwt`,
 * `alg: ES256` and the public `jwk`; claims `jti` (128 random bits), `htm`, `htu`, `iat`, and
 * `ath` (base64url SHA-256 of the access token) on resource requests, `nonce` when the server gave one.
 *
 * @example
 * ```ts
 * const proof = await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/v1/me?x=1', accessToken })
 * headers.set('authorization', `DPoP ${accessToken}`)
 * headers.set('dpop', proof)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
export async function dpopProof(key: DpopKey, target: ProofTarget, now: number = Date.now()): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: await key.jwk() };
  const claims: Record<string, string | number> = {
    jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    htm: target.htm.toUpperCase(),
    htu: proofHtu(target.htu),
    iat: Math.floor(now / 1000),
  };
  if (target.accessToken !== undefined) {
    claims.ath = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(target.accessToken)));
  }
  if (target.nonce !== undefined) claims.nonce = target.nonce;
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(await key.sign(new TextEncoder().encode(input)))}`;
}
