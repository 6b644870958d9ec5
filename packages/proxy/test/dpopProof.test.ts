import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DpopKey } from '../src/dpop/DpopKey.js';
import { dpopProof, proofHtu } from '../src/dpop/dpopProof.js';
import { defined } from '@tokenvault/test-support';

// Proofs made by the proxy's own code (Node has WebCrypto), checked by jose as a server would.
const verify = (proof: string) => jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });

describe('dpopProof', () => {
  it('is an ES256 dpop+jwt with the public key, htm, htu, iat and a jti, verified by jose', async () => {
    const key = await DpopKey.generate();
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const proof = await dpopProof(key, { htm: 'post', htu: 'https://op.example.com/token' }, now);
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate: new Date(now) });
    expect(protectedHeader).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: await key.jwk() });
    expect(Object.keys(defined(protectedHeader.jwk)).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(payload).toEqual({ jti: expect.stringMatching(/^[\w-]{22}$/) as unknown, htm: 'POST', htu: 'https://op.example.com/token', iat: now / 1000 });
  });

  it('leaves the query and fragment out of htu and normalises scheme, host and default port', async () => {
    expect(proofHtu('HTTPS://API.Example.com:443/v1/items?page=2#top')).toBe('https://api.example.com/v1/items');
    const key = await DpopKey.generate();
    const { payload } = await verify(await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/v1/items?page=2#top' }));
    expect(payload.htu).toBe('https://api.example.com/v1/items');
  });

  it('carries ath, the base64url SHA-256 of the access token, on a resource request', async () => {
    const key = await DpopKey.generate();
    const accessToken = 'eyJ.example.token';
    const { payload } = await verify(await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/v1/me', accessToken }));
    expect(payload.ath).toBe(createHash('sha256').update(accessToken).digest('base64url'));
  });

  it('carries the server nonce when there is one, and none otherwise', async () => {
    const key = await DpopKey.generate();
    const withNonce = await verify(await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/', nonce: 'n-123' }));
    expect(withNonce.payload.nonce).toBe('n-123');
    const without = await verify(await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/' }));
    expect(without.payload).not.toHaveProperty('nonce');
    expect(without.payload).not.toHaveProperty('ath');
  });

  it('gives every proof its own jti', async () => {
    const key = await DpopKey.generate();
    const proofs = await Promise.all(Array.from({ length: 50 }, () => dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/' })));
    const ids = await Promise.all(proofs.map(async (proof) => (await verify(proof)).payload.jti));
    expect(new Set(ids).size).toBe(50);
  });

  it('is refused by a verifier when one byte of it is changed', async () => {
    const key = await DpopKey.generate();
    const proof = await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/' });
    const [header, payload, signature] = proof.split('.');
    const forged = Buffer.from(payload, 'base64url').toString().replace('"GET"', '"PUT"');
    await expect(verify(`${header}.${Buffer.from(forged).toString('base64url')}.${signature}`)).rejects.toThrow(/signature/);
  });
});

describe('DpopKey', () => {
  it('has a private key that cannot be exported', async () => {
    const key = await DpopKey.generate();
    expect(key.privateKey.extractable).toBe(false);
    expect(key.privateKey.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();
  });

  it('gives the RFC 7638 thumbprint that the OP puts in cnf.jkt (as jose computes it)', async () => {
    const key = await DpopKey.generate();
    const proof = await dpopProof(key, { htm: 'GET', htu: 'https://api.example.com/' });
    expect(await key.thumbprint()).toBe(await calculateJwkThumbprint(defined(decodeProtectedHeader(proof).jwk)));
    expect(await key.thumbprint()).toMatch(/^[\w-]{43}$/);
  });

  it('makes a new key each time', async () => {
    const [a, b] = await Promise.all([DpopKey.generate(), DpopKey.generate()]);
    expect(await a.thumbprint()).not.toBe(await b.thumbprint());
  });
});
