import { describe, expect, it } from 'vitest';
import { DpopNonces } from '../src/dpop/DpopNonces.js';
import { isNonceChallenge } from '../src/dpop/isNonceChallenge.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('isNonceChallenge', () => {
  it('an OP 400 use_dpop_nonce with a DPoP-Nonce header is a challenge, and its body stays readable', async () => {
    const response = json(400, { error: 'use_dpop_nonce' }, { 'dpop-nonce': 'abc' });
    expect(await isNonceChallenge(response, 'authorization-server')).toBe(true);
    expect(await response.json()).toEqual({ error: 'use_dpop_nonce' });
  });

  it.each([
    ['without a DPoP-Nonce header', json(400, { error: 'use_dpop_nonce' })],
    ['another error', json(400, { error: 'invalid_grant' }, { 'dpop-nonce': 'abc' })],
    ['a body that is not JSON', new Response('use_dpop_nonce', { status: 400, headers: { 'dpop-nonce': 'abc' } })],
    ['a 200 with a new nonce', json(200, { access_token: 'x' }, { 'dpop-nonce': 'abc' })],
  ])('an OP answer %s is not', async (_name, response) => {
    expect(await isNonceChallenge(response, 'authorization-server')).toBe(false);
  });

  it('an API 401 with WWW-Authenticate: DPoP error="use_dpop_nonce" and a DPoP-Nonce is a challenge', async () => {
    const response = json(401, {}, { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce required"', 'dpop-nonce': 'n1' });
    expect(await isNonceChallenge(response, 'resource-server')).toBe(true);
  });

  it.each([
    ['invalid_token', json(401, {}, { 'www-authenticate': 'DPoP error="invalid_token"', 'dpop-nonce': 'n1' })],
    ['no DPoP-Nonce', json(401, {}, { 'www-authenticate': 'DPoP error="use_dpop_nonce"' })],
    ['a 403', json(403, {}, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n1' })],
  ])('an API answer with %s is not', async (_name, response) => {
    expect(await isNonceChallenge(response, 'resource-server')).toBe(false);
  });
});

describe('DpopNonces', () => {
  it('keeps the last nonce per origin', () => {
    const nonces = new DpopNonces();
    nonces.remember('https://op.example.com/token', new Response(null, { headers: { 'dpop-nonce': 'op-1' } }));
    nonces.remember('https://api.example.com/v1/a', new Response(null, { headers: { 'dpop-nonce': 'api-1' } }));
    nonces.remember('https://api.example.com/v1/b?x', new Response(null, { headers: { 'dpop-nonce': 'api-2' } }));
    expect(nonces.get('https://op.example.com/other')).toBe('op-1');
    expect(nonces.get('https://api.example.com/v2')).toBe('api-2');
    expect(nonces.get('https://api.example.com:8443/')).toBeUndefined();
  });

  it('ignores a nonce that is not NQCHAR text (it would break the proof)', () => {
    const nonces = new DpopNonces();
    nonces.remember('https://api.example.com/', new Response(null, { headers: { 'dpop-nonce': 'a"b' } }));
    expect(nonces.get('https://api.example.com/')).toBeUndefined();
  });
});
