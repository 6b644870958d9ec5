import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SerializedRequest } from '@tokenvault/protocol';
import { resolveProxyConfig } from '@tokenvault/config';
import type { UseStore } from 'idb-keyval';
import { EmbeddedJWK, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Dpop } from '../src/dpop/Dpop.js';
import type { DpopKey } from '../src/dpop/DpopKey.js';
import { TokenStore, type ApiTokens, type TokenSet } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { defined } from '@tokenvault/test-support';

// The proxy's token-type decisions against a small OP and API of the test's own: they answer what
// a real OP would not (a DPoP token nobody asked for), which the dev host's oidc-provider never does.
// IndexedDB is the browser's: here the stores keep their values in memory.

const noDb = (() => Promise.reject(new Error('no IndexedDB in Node'))) as unknown as UseStore;

class MemoryTokens extends TokenStore {
  value: TokenSet | null = null;
  constructor() {
    super(noDb);
  }
  override async get(): Promise<TokenSet | null> {
    return this.value;
  }
  override async set(tokens: TokenSet): Promise<void> {
    this.value = tokens;
  }
  apiValue: ApiTokens = {};
  override async apis(): Promise<ApiTokens> {
    return this.apiValue;
  }
  override async setWithApis(tokens: TokenSet, apis: ApiTokens): Promise<void> {
    this.value = tokens;
    this.apiValue = apis;
  }
  override async clear(): Promise<void> {
    this.value = null;
    this.apiValue = {};
  }
}

class MemoryDpop extends Dpop {
  kept: DpopKey | null = null;
  constructor() {
    super(noDb);
  }
  override async key(): Promise<DpopKey | null> {
    return this.kept;
  }
  override async adopt(key: DpopKey): Promise<void> {
    this.kept = key;
  }
  override async forget(): Promise<void> {
    this.kept = null;
  }
}

let server: Server;
let base: string;
/** What the OP's token endpoint answers next; every request the test server saw, with its headers. */
let tokenType = 'DPoP';
const seen: { path: string; headers: IncomingMessage['headers'] }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', headers: request.headers });
    const json = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/.well-known/openid-configuration') return json({ issuer: base, token_endpoint: `${base}/token` });
    if (request.url === '/token') return json({ access_token: 'the-access-token', token_type: tokenType, expires_in: 600, refresh_token: 'the-refresh-token' });
    return json({ ok: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);
beforeEach(() => {
  seen.length = 0;
  tokenType = 'DPoP';
});

function vault(dpop: boolean): { proxy: VaultProxy; tokens: MemoryTokens; keys: MemoryDpop } {
  const config = resolveProxyConfig({
    mode: 'drop-in',
    appOrigins: ['http://app.localhost'],
    issuer: base,
    clientId: 'demo',
    rules: [{ origin: base, pathPrefix: '/api/', dpop }],
  });
  const tokens = new MemoryTokens();
  const keys = new MemoryDpop();
  return { proxy: new VaultProxy(config, tokens, keys), tokens, keys };
}

const codeGrant = (): SerializedRequest => ({
  url: `${base}/token`,
  method: 'POST',
  headers: [
    ['content-type', 'application/x-www-form-urlencoded'],
    ['dpop', "a proof of the app's own"],
  ],
  body: new TextEncoder().encode('grant_type=authorization_code&code=c&code_verifier=v&client_id=demo&redirect_uri=x').buffer,
});
const apiRequest = (): SerializedRequest => ({
  url: `${base}/api/me?x=1`,
  method: 'GET',
  headers: [
    ['authorization', 'Bearer REDACTED'],
    ['dpop', "a proof of the app's own"],
  ],
  body: null,
});

describe('VaultProxy and DPoP', () => {
  it('with a dpop rule: proves a new key at the token endpoint, keeps the DPoP tokens and the key, and the app sees token_type DPoP', async () => {
    const { proxy, tokens, keys } = vault(true);
    const response = await proxy.handleFetch(codeGrant());
    expect(await response.json()).toMatchObject({ access_token: 'REDACTED', token_type: 'DPoP' });
    const proof = defined(seen.find((r) => r.path === '/token')).headers.dpop as string;
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
    expect(payload).toMatchObject({ htm: 'POST', htu: `${base}/token` });
    expect(payload).not.toHaveProperty('ath');
    expect(tokens.value?.tokenType).toBe('DPoP');
    expect(await defined(keys.kept).thumbprint()).toBeTruthy();
  });

  it('with a dpop rule: API requests carry Authorization: DPoP and the proxy’s proof, never the app’s', async () => {
    const { proxy, keys } = vault(true);
    await proxy.handleFetch(codeGrant());
    await proxy.handleFetch(apiRequest());
    const call = defined(seen.find((r) => r.path === '/api/me?x=1'));
    expect(call.headers.authorization).toBe('DPoP the-access-token');
    const proof = call.headers.dpop as string;
    expect(decodeProtectedHeader(proof).jwk).toEqual(await defined(keys.kept).jwk());
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
    expect(payload).toMatchObject({ htm: 'GET', htu: `${base}/api/me` });
    expect(payload.ath).toBeTruthy();
  });

  it('refuses a DPoP token response to a token request it sent without a proof (TV_INVALID_TOKEN_RESPONSE), storing nothing', async () => {
    const { proxy, tokens } = vault(false);
    await expect(proxy.handleFetch(codeGrant())).rejects.toMatchObject({ code: 'TV_INVALID_TOKEN_RESPONSE' });
    expect(defined(seen.find((r) => r.path === '/token')).headers.dpop).toBeUndefined();
    expect(tokens.value).toBeNull();
  });

  it('with a dpop rule and an OP that ignores proofs: keeps the bearer tokens, no key, and sends them as Bearer', async () => {
    tokenType = 'Bearer';
    const { proxy, tokens, keys } = vault(true);
    await proxy.handleFetch(codeGrant());
    expect(tokens.value?.tokenType).toBe('Bearer');
    expect(keys.kept).toBeNull();
    await proxy.handleFetch(apiRequest());
    const call = defined(seen.find((r) => r.path === '/api/me?x=1'));
    expect(call.headers.authorization).toBe('Bearer the-access-token');
    // The app's own DPoP header is not the vault's business on a bearer request: passed as sent.
    expect(call.headers.dpop).toBe("a proof of the app's own");
  });

  it('DPoP tokens whose key is gone: TV_DPOP_KEY_LOST, the vault cleared, nothing sent', async () => {
    const { proxy, tokens, keys } = vault(true);
    await proxy.handleFetch(codeGrant());
    keys.kept = null;
    const before = seen.length;
    await expect(proxy.handleFetch(apiRequest())).rejects.toMatchObject({ code: 'TV_DPOP_KEY_LOST', status: 401 });
    expect(tokens.value).toBeNull();
    expect(seen.length).toBe(before);
  });
});
