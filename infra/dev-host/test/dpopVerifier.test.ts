import { createHash } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { DpopVerifier } from '../src/dpopVerifier.js';

// Proofs crafted with jose, each wrong in one way, against the sample API's check.
const url = 'http://api.vault.localhost:8080/v1/profile?x=1';
const accessToken = 'eyJhbGciOiJSUzI1NiJ9.e30.sig';
const ath = createHash('sha256').update(accessToken).digest('base64url');

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

async function proof(key: Key, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ jti: crypto.randomUUID(), htm: 'GET', htu: 'http://api.vault.localhost:8080/v1/profile', iat: Math.floor(Date.now() / 1000), ath, ...claims })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk, ...header })
    .sign(key.privateKey);
}

let verifier: DpopVerifier;
let key: Key;
beforeEach(async () => {
  verifier = new DpopVerifier();
  key = await newKey();
});
const check = (p: string | undefined, jkt = key.jkt, method = 'GET') => verifier.verify({ proof: p, method, url, accessToken, jkt });

describe('DpopVerifier', () => {
  it('accepts a proof of the bound key for this request and token', async () => {
    expect(await check(await proof(key))).toBeNull();
  });

  it('refuses a request without a proof', async () => {
    expect(await check(undefined)).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses two DPoP headers', async () => {
    expect(await verifier.verify({ proof: [await proof(key), await proof(key)], method: 'GET', url, accessToken, jkt: key.jkt })).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses a proof signed by another key than the token is bound to', async () => {
    const other = await newKey();
    const refused = await check(await proof(other));
    expect(refused?.error).toBe('invalid_dpop_proof');
    expect(refused?.description).toMatch(/another key/);
  });

  it('refuses a replayed proof (same jti)', async () => {
    const once = await proof(key);
    expect(await check(once)).toBeNull();
    expect((await check(once))?.description).toMatch(/used before/);
  });

  it('refuses a proof for another method', async () => {
    expect((await check(await proof(key), key.jkt, 'POST'))?.description).toMatch(/htm/);
  });

  it('refuses a proof for another URL', async () => {
    expect((await check(await proof(key, { htu: 'http://api.vault.localhost:8080/v1/items' })))?.description).toMatch(/htu/);
  });

  it('refuses a proof for another access token (ath)', async () => {
    expect((await check(await proof(key, { ath: createHash('sha256').update('another').digest('base64url') })))?.description).toMatch(/ath/);
  });

  it('refuses a proof made long ago (iat)', async () => {
    expect((await check(await proof(key, { iat: Math.floor(Date.now() / 1000) - 600 })))?.description).toMatch(/iat/);
  });

  it('refuses a JWT that is not typed dpop+jwt', async () => {
    expect(await check(await proof(key, {}, { typ: 'JWT' }))).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('asks for a nonce when nonceMode is require, and accepts one it handed out', async () => {
    verifier.nonceMode = 'require';
    expect(await check(await proof(key))).toMatchObject({ error: 'use_dpop_nonce' });
    expect(await check(await proof(key, { nonce: 'made-up' }))).toMatchObject({ error: 'use_dpop_nonce' });
    expect(await check(await proof(key, { nonce: verifier.nextNonce() }))).toBeNull();
  });

  it('asks for a new nonce every time when nonceMode is always', async () => {
    verifier.nonceMode = 'always';
    expect(await check(await proof(key, { nonce: verifier.nextNonce() }))).toMatchObject({ error: 'use_dpop_nonce' });
  });
});
