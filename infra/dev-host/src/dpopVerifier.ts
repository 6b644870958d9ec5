import { createHash, randomBytes } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';

/** How the sample API asks for DPoP nonces (a test switch): never, when a proof has none, or always (a server that never accepts one). */
export type NonceMode = 'off' | 'require' | 'always';

/** Why a proof was refused, as the `error` of a `WWW-Authenticate: DPoP` challenge. */
export type ProofRefusal = { error: 'invalid_dpop_proof' | 'use_dpop_nonce'; description: string };

/** How far a proof's `iat` may be from the server's clock, in seconds. */
const IAT_WINDOW_S = 60;

/**
 * The sample API's check of a DPoP proof (RFC 9449 §4.3, §7.1) with jose: signature by the
 * embedded key (ES256, `typ: dpop+jwt`), `htm`, `htu` (no query or fragment), a recent `iat`, a
 * `jti` never seen before, `ath` of the presented token, the key's thumbprint equal to the token's
 * `cnf.jkt`, and a server nonce when `nonceMode` asks for one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export class DpopVerifier {
  nonceMode: NonceMode = 'off';
  /** Nonces handed out and not yet too old, newest last. */
  #nonces: string[] = [];
  /** jti values seen, with when they may be forgotten (epoch ms). */
  #seen = new Map<string, number>();

  /** A new nonce for a `DPoP-Nonce` header; the last few stay valid. */
  nextNonce(): string {
    const nonce = randomBytes(16).toString('base64url');
    this.#nonces.push(nonce);
    if (this.#nonces.length > 16) this.#nonces.shift();
    return nonce;
  }

  async verify(input: { proof: string | string[] | undefined; method: string; url: string; accessToken: string; jkt: string }): Promise<ProofRefusal | null> {
    const { proof } = input;
    if (typeof proof !== 'string' || proof === '') return { error: 'invalid_dpop_proof', description: 'one DPoP header is required' };
    let payload;
    let jwk;
    try {
      const result = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
      payload = result.payload;
      // EmbeddedJWK verified the signature with this very key, so it is there.
      if (!result.protectedHeader.jwk) throw new Error('no jwk');
      jwk = result.protectedHeader.jwk;
    } catch {
      return { error: 'invalid_dpop_proof', description: 'the proof is not a valid dpop+jwt' };
    }
    const now = Date.now();
    for (const [jti, until] of this.#seen) if (until < now) this.#seen.delete(jti);
    if (typeof payload.jti !== 'string' || payload.jti === '') return { error: 'invalid_dpop_proof', description: 'jti is missing' };
    if (this.#seen.has(payload.jti)) return { error: 'invalid_dpop_proof', description: 'the proof was used before' };
    this.#seen.set(payload.jti, now + 2 * IAT_WINDOW_S * 1000);
    if (typeof payload.iat !== 'number' || Math.abs(now / 1000 - payload.iat) > IAT_WINDOW_S) return { error: 'invalid_dpop_proof', description: 'iat is not recent' };
    if (payload.htm !== input.method) return { error: 'invalid_dpop_proof', description: 'htm does not match the request' };
    const htu = typeof payload.htu === 'string' && URL.canParse(payload.htu) ? new URL(payload.htu) : null;
    const expected = new URL(input.url);
    for (const url of [htu, expected]) {
      if (!url) continue;
      url.search = '';
      url.hash = '';
    }
    if (!htu || htu.href !== expected.href) return { error: 'invalid_dpop_proof', description: 'htu does not match the request' };
    if (payload.ath !== createHash('sha256').update(input.accessToken).digest('base64url'))
      return { error: 'invalid_dpop_proof', description: 'ath does not match the access token' };
    if ((await calculateJwkThumbprint(jwk)) !== input.jkt) return { error: 'invalid_dpop_proof', description: 'the proof is signed by another key than the token is bound to' };
    if (this.nonceMode === 'always') return { error: 'use_dpop_nonce', description: 'a new nonce is required' };
    if (this.nonceMode === 'require' && (typeof payload.nonce !== 'string' || !this.#nonces.includes(payload.nonce))) {
      return { error: 'use_dpop_nonce', description: 'a nonce from this server is required' };
    }
    return null;
  }
}
