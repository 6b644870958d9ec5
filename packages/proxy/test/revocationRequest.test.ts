import { afterEach, describe, expect, it, vi } from 'vitest';
import { introspectionRequest } from '../src/handlers/introspectionRequest.js';
import { publicDocument } from '../src/handlers/publicDocument.js';
import { revocationRequest } from '../src/handlers/revocationRequest.js';
import { REDACTED, STORED, form, memoryAccess } from './helpers.js';

const ENDPOINT = 'https://op.example.com/token/revocation';
let sent: { url: string; init: RequestInit }[] = [];

function upstream(response: () => Response): void {
  sent = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return response();
  });
}
afterEach(() => vi.unstubAllGlobals());
const sentForm = (): Record<string, string> => Object.fromEntries(new URLSearchParams(sent[0].init.body as URLSearchParams));

describe('revocationRequest', () => {
  it('revoking the refresh token: the stored one goes to the OP with client_id, and the vault is cleared in every tab', async () => {
    upstream(() => new Response(null, { status: 200 }));
    const access = memoryAccess(STORED);
    const response = await revocationRequest(
      access,
      form(ENDPOINT, [
        ['token', REDACTED],
        ['token_type_hint', 'refresh_token'],
      ]),
      ENDPOINT,
    );
    expect(response.status).toBe(200);
    expect(sent[0].url).toBe(ENDPOINT);
    expect(sentForm()).toEqual({ token: 'rt-secret', token_type_hint: 'refresh_token', client_id: 'spa' });
    expect(access.signedOut).toBe(1);
  });
  it('revoking the access token with a refresh token left: the vault keeps the refresh token and refreshes first next time', async () => {
    upstream(() => new Response(null, { status: 200 }));
    const access = memoryAccess(STORED);
    await revocationRequest(
      access,
      form(ENDPOINT, [
        ['token', REDACTED],
        ['token_type_hint', 'access_token'],
      ]),
      ENDPOINT,
    );
    expect(sentForm().token).toBe('at-secret');
    expect(access.signedOut).toBe(0);
    expect(access.current).toMatchObject({ refreshToken: 'rt-secret', expiresAt: 0 });
  });
  it('revoking the only token clears the vault', async () => {
    upstream(() => new Response(null, { status: 200 }));
    const access = memoryAccess({ ...STORED, refreshToken: null });
    await revocationRequest(
      access,
      form(ENDPOINT, [
        ['token', REDACTED],
        ['token_type_hint', 'access_token'],
      ]),
      ENDPOINT,
    );
    expect(access.signedOut).toBe(1);
  });
  it('only the three fields go out: anything else the app added stays behind', async () => {
    upstream(() => new Response(null, { status: 200 }));
    await revocationRequest(
      memoryAccess(STORED),
      form(ENDPOINT, [
        ['token', REDACTED],
        ['redirect', 'https://evil.example'],
        ['token_type_hint', 'refresh_token'],
      ]),
      ENDPOINT,
    );
    expect(Object.keys(sentForm()).sort()).toEqual(['client_id', 'token', 'token_type_hint']);
  });
  it('a refusal by the OP is passed on, rebuilt, without an echoed token; the tokens stay', async () => {
    upstream(() => Response.json({ error: 'invalid_client', error_description: 'no rt-secret here', token: 'rt-secret' }, { status: 401 }));
    const access = memoryAccess(STORED);
    const response = await revocationRequest(access, form(ENDPOINT, [['token', REDACTED]]), ENDPOINT);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toContain('rt-secret');
    expect(JSON.parse(text)).toEqual({ error: 'invalid_client', error_description: `no ${REDACTED} here` });
    expect(access.current).toBe(STORED);
  });
  it('nothing stored: 200 and no request to the OP', async () => {
    upstream(() => new Response(null, { status: 500 }));
    const response = await revocationRequest(memoryAccess(null), form(ENDPOINT, [['token', REDACTED]]), ENDPOINT);
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(0);
  });
  it('refuses a real token from the app, and changes nothing', async () => {
    upstream(() => new Response(null, { status: 200 }));
    const access = memoryAccess(STORED);
    await expect(revocationRequest(access, form(ENDPOINT, [['token', 'rt-secret']]), ENDPOINT)).rejects.toMatchObject({ code: 'TV_INVALID_REQUEST' });
    expect(sent).toHaveLength(0);
    expect(access.current).toBe(STORED);
  });
});

describe('introspectionRequest', () => {
  it('sends the stored token; copies of it in the answer are redacted, nested values dropped', async () => {
    upstream(() => Response.json({ active: true, scope: 'openid api', sub: 'alice', token: 'at-secret', nested: { refresh_token: 'rt-secret' }, aud: ['api'] }));
    const response = await introspectionRequest(
      memoryAccess(STORED),
      form('https://op.example.com/token/introspection', [
        ['token', REDACTED],
        ['token_type_hint', 'access_token'],
      ]),
      'https://op.example.com/token/introspection',
    );
    expect(sentForm()).toEqual({ token: 'at-secret', token_type_hint: 'access_token', client_id: 'spa' });
    expect(await response.json()).toEqual({ active: true, scope: 'openid api', sub: 'alice', token: REDACTED, aud: ['api'] });
  });
  it('nothing stored: inactive, no request', async () => {
    upstream(() => Response.json({ active: true }));
    const response = await introspectionRequest(memoryAccess(null), form('https://op.example.com/i', [['token', REDACTED]]), 'https://op.example.com/i');
    expect(await response.json()).toEqual({ active: false });
    expect(sent).toHaveLength(0);
  });
});

describe('publicDocument', () => {
  it('fetches discovery without the app headers and without credentials; keeps content-type and cache headers only', async () => {
    upstream(() => Response.json({ issuer: 'https://op.example.com' }, { headers: { 'cache-control': 'max-age=60', 'set-cookie': 'a=b', 'x-other': '1' } }));
    const response = await publicDocument(
      {
        url: 'https://op.example.com/.well-known/openid-configuration',
        method: 'GET',
        headers: [
          ['authorization', 'Bearer REDACTED'],
          ['x-app', '1'],
        ],
        body: null,
      },
      5000,
    );
    expect(sent[0].init.credentials).toBe('omit');
    expect([...new Headers(sent[0].init.headers)].map(([name]) => name)).toEqual(['accept']);
    expect(await response.json()).toEqual({ issuer: 'https://op.example.com' });
    expect([...response.headers.keys()].sort()).toEqual(['cache-control', 'content-type']);
  });
  it('refuses anything but GET and HEAD', async () => {
    await expect(publicDocument({ url: 'https://op.example.com/jwks', method: 'POST', headers: [], body: null }, 5000)).rejects.toMatchObject({ code: 'TV_INVALID_REQUEST' });
  });
});
