import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { resolveProxyConfig, type ProxyConfig } from '@tokenvault/config';
import { REDACTED } from '../src/tokens/redact.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenSet, TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { defined } from '@tokenvault/test-support';
import { MemoryStore } from './helpers.js';

// The proxy's token path against a real HTTP server playing the OP (and an API), in Node: what
// goes out, what comes back to the app. The browser-only parts (IndexedDB, Web Locks) are replaced
// by a store in memory that can be told to fail as IndexedDB does.

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let received: Received[];
/** How the fake OP answers, per path. */
let answer: Map<string, (request: Received) => { status: number; body: unknown }>;
let discovery: Record<string, unknown>;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0];
      const entry: Received = { method: request.method ?? '', path, headers: request.headers, body };
      received.push(entry);
      const reply: { status: number; body: unknown; location?: string } =
        path.endsWith('/.well-known/openid-configuration') && path !== '/moved/.well-known/openid-configuration'
          ? { status: 200, body: discovery }
          : (answer.get(path)?.(entry) ?? { status: 404, body: { error: 'not_found' } });
      response.writeHead(reply.status, { 'content-type': 'application/json', 'x-op-secret-header': 'leak', ...(reply.location ? { location: reply.location } : {}) });
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

beforeEach(() => {
  received = [];
  answer = new Map();
  discovery = { issuer: base, token_endpoint: `${base}/token`, revocation_endpoint: `${base}/revoke`, end_session_endpoint: `${base}/logout` };
});

const HELD: TokenSet = {
  accessToken: 'at-held-0123456789',
  refreshToken: 'rt-held-0123456789',
  idToken: 'id.held.token',
  tokenType: 'Bearer',
  scope: 'api',
  expiresAt: Date.now() + 600_000,
};

function vault(changes: Partial<ProxyConfig> = {}, held: TokenSet | null = null): { proxy: VaultProxy; store: MemoryStore } {
  const store = new MemoryStore();
  store.saved = held;
  const config = resolveProxyConfig({
    // The app's library redeems its own codes through the vault here: drop-in mode.
    mode: 'drop-in',
    appOrigins: ['https://app.example.com'],
    issuer: base,
    clientId: 'spa',
    rules: [{ origin: 'http://localhost:9', pathPrefix: '/v1/' }],
    ...changes,
  });
  return { proxy: new VaultProxy(config, store as unknown as TokenStore), store };
}

function form(url: string, params: string, headers: [string, string][] = [['content-type', 'application/x-www-form-urlencoded']]): SerializedRequest {
  return { url, method: 'POST', headers, body: new TextEncoder().encode(params).buffer };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof VaultError ? err.code : `not a VaultError: ${String(err)}`;
  }
  return 'no error';
}

const tokenPosts = () => received.filter((r) => r.path === '/token' && r.method === 'POST');

describe('VaultProxy: which requests are token requests (classifyOpRequest)', () => {
  it('takes the token endpoint in another spelling for a token request, and sends it to the discovered URL', async () => {
    answer.set('/token', () => ({ status: 200, body: { access_token: 'at-new-0123456789', token_type: 'Bearer', expires_in: 60 } }));
    const { proxy } = vault();
    const url = `${base.replace('127.0.0.1', '127.0.0.1.')}/TOKEN/`;
    const response = await proxy.handleFetch(form(url, 'grant_type=authorization_code&code=c&code_verifier=v'));
    expect(response.status).toBe(200);
    expect(tokenPosts()).toHaveLength(1);
  });

  it('refuses a token request with a query the token endpoint does not have, sending nothing', async () => {
    const { proxy } = vault();
    expect(await failure(proxy.handleFetch(form(`${base}/token?x=1`, 'grant_type=authorization_code&code=c')))).toBe('TV_INVALID_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('refuses a POST to the OP at none of its endpoints', async () => {
    const { proxy } = vault();
    expect(await failure(proxy.handleFetch(form(`${base}/tokens`, 'grant_type=authorization_code&code=c')))).toBe('TV_UNCLASSIFIED_OP_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
  });
});

describe('VaultProxy: configuration checked against discovery at start', () => {
  it('refuses a rule that covers the token endpoint as the OP routes it', async () => {
    discovery.token_endpoint = `${base}/oauth/token`;
    const { proxy } = vault({ issuer: `${base}/realms/x`, rules: [{ origin: base, pathPrefix: '/OAuth/' }] });
    discovery.issuer = `${base}/realms/x`;
    await expect(proxy.metadata()).rejects.toThrow(/rules\[0\] must not cover the OP's token endpoint/);
  });

  it('refuses a discovery document that redirects elsewhere, and fetches it without credentials or referrer', async () => {
    answer.set('/moved/.well-known/openid-configuration', () => ({ status: 302, body: '', location: `${base}/.well-known/openid-configuration` }));
    const { proxy } = vault({ issuer: `${base}/moved` });
    await expect(proxy.metadata()).rejects.toMatchObject({ code: 'TV_UPSTREAM_REDIRECT' });
    const first = defined(received.find((entry) => entry.path === '/moved/.well-known/openid-configuration'));
    expect(first.headers.cookie).toBeUndefined();
    expect(first.headers.referer).toBeUndefined();
  });

  it('refuses a token endpoint on an origin the configuration does not list', async () => {
    discovery.token_endpoint = 'https://tokens.example.com/token';
    const { proxy } = vault();
    await expect(proxy.metadata()).rejects.toThrow(/opOrigins must list https:\/\/tokens\.example\.com/);
  });
});

describe('VaultProxy: repeated parameters', () => {
  it.each(['grant_type', 'code', 'refresh_token', 'code_verifier'])('refuses a token request that repeats %s, sending nothing', async (name) => {
    const { proxy } = vault({}, HELD);
    const params = new URLSearchParams({ grant_type: name === 'refresh_token' ? 'refresh_token' : 'authorization_code', code: 'c', code_verifier: 'v', refresh_token: REDACTED });
    params.append(name, name === 'refresh_token' ? 'attacker-chosen' : 'x');
    expect(await failure(proxy.handleFetch(form(`${base}/token`, params.toString())))).toBe('TV_INVALID_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
  });
});

describe('VaultProxy: token endpoint errors are rebuilt', () => {
  it('gives the app error, error_description and error_uri only, without the refresh token the OP echoed', async () => {
    answer.set('/token', (request) => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `refresh token ${new URLSearchParams(request.body).get('refresh_token')} is not valid`,
        error_uri: 'https://op.example.com/errors/invalid_grant',
        echo: Object.fromEntries(new URLSearchParams(request.body)),
      },
    }));
    const { proxy } = vault({}, HELD);
    const response = await proxy.handleFetch(form(`${base}/token`, `grant_type=refresh_token&refresh_token=${REDACTED}&client_id=spa`));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-op-secret-header')).toBeNull();
    const text = await response.text();
    expect(text).not.toContain(defined(HELD.refreshToken));
    expect(JSON.parse(text)).toEqual({
      error: 'invalid_grant',
      error_description: `refresh token ${REDACTED} is not valid`,
      error_uri: 'https://op.example.com/errors/invalid_grant',
    });
    // The OP did get the real refresh token, in its one parameter.
    expect(new URLSearchParams(tokenPosts()[0].body).get('refresh_token')).toBe(HELD.refreshToken);
  });

  it('answers TV_INVALID_TOKEN_RESPONSE for an error body that is not an OAuth error', async () => {
    answer.set('/token', () => ({ status: 500, body: '<html>oops</html>' }));
    const { proxy } = vault();
    expect(await failure(proxy.handleFetch(form(`${base}/token`, 'grant_type=authorization_code&code=c')))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
});

describe('VaultProxy: token responses by allow-list', () => {
  it('gives the app the safe fields, the placeholders and the keep-list, nothing else', async () => {
    answer.set('/token', () => ({
      status: 200,
      body: {
        access_token: 'at-new-0123456789',
        refresh_token: 'rt-new-0123456789',
        token_type: 'Bearer',
        expires_in: 60,
        scope: 'openid api',
        id_token: 'id.new.token',
        device_secret: 'ds-0123456789',
        vendor: { access_token: 'at-new-0123456789' },
        vendor_copy: 'at-new-0123456789',
        tenant: 'acme',
      },
    }));
    const { proxy, store } = vault({ keep: ['tenant', 'vendor_copy'] });
    const response = await proxy.handleFetch(form(`${base}/token`, 'grant_type=authorization_code&code=c&code_verifier=v'));
    expect(await response.json()).toEqual({
      access_token: REDACTED,
      refresh_token: REDACTED,
      token_type: 'Bearer',
      expires_in: 60,
      scope: 'openid api',
      id_token: 'id.new.token',
      tenant: 'acme',
    });
    expect(store.saved?.accessToken).toBe('at-new-0123456789');
  });
});

describe('VaultProxy: logout', () => {
  it('revokes both tokens as the public client (client_id) and says so', async () => {
    answer.set('/revoke', () => ({ status: 200, body: {} }));
    const { proxy, store } = vault({}, HELD);
    const result = await proxy.logout();
    expect(result).toMatchObject({ revocation: 'revoked', storageCleared: true });
    const revocations = received.filter((r) => r.path === '/revoke').map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(revocations).toEqual([
      { token: HELD.refreshToken, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: HELD.accessToken, token_type_hint: 'access_token', client_id: 'spa' },
    ]);
    expect(store.saved).toBeNull();
  });

  it('reports a refused revocation in the result and as an event, and still clears the vault', async () => {
    answer.set('/revoke', () => ({ status: 401, body: { error: 'invalid_client' } }));
    const { proxy, store } = vault({}, HELD);
    const events: string[] = [];
    proxy.onEvent = (event) => void events.push(event);
    const result = await proxy.logout();
    expect(result).toMatchObject({
      revocation: 'refused',
      revocationStatus: 401,
      revocations: [
        { token: 'refresh_token', status: 401 },
        { token: 'access_token', status: 401 },
      ],
      storageCleared: true,
    });
    expect(events).toContain('revocation-failed');
    expect(events).toContain('signed-out');
    expect(store.saved).toBeNull();
  });

  it('reports an OP without a revocation endpoint', async () => {
    delete discovery.revocation_endpoint;
    const { proxy } = vault({}, HELD);
    expect((await proxy.logout()).revocation).toBe('no-endpoint');
  });

  it('reports a revocation nobody answered as failed', async () => {
    discovery.revocation_endpoint = 'http://127.0.0.1:9/revoke';
    const { proxy } = vault({}, HELD);
    const events: string[] = [];
    proxy.onEvent = (event) => void events.push(event);
    expect((await proxy.logout()).revocation).toBe('failed');
    expect(events).toContain('revocation-failed');
  });

  it('with IndexedDB failing: still revokes from the memory copy, clears it, and says the storage was not cleared', async () => {
    answer.set('/revoke', () => ({ status: 200, body: {} }));
    const { proxy, store } = vault({}, HELD);
    expect((await proxy.status()).signedIn).toBe(true);
    store.failing = true;
    const result = await proxy.logout();
    expect(result).toMatchObject({ revocation: 'revoked', storageCleared: false });
    expect(received.filter((r) => r.path === '/revoke')).toHaveLength(2);
    expect(await proxy.status()).toEqual({ signedIn: false, expiresAt: null, apis: [] });
  });
});

describe("VaultProxy: a revocation the OP refuses (the app's library asked)", () => {
  const revoke = (hint: string) => form(`${base}/revoke`, `token=${REDACTED}&token_type_hint=${hint}&client_id=spa`);

  // Glewlwyd 2.7 revokes only for confidential clients: a public client's revocation gets 401 and
  // no body at all. The library must see that 401, with a code it can switch on, not a 502.
  it.each([
    ['an empty 401 (Glewlwyd)', 401, ''],
    ['an HTML 403', 403, '<html>forbidden</html>'],
    ['a JSON 400 without an error field', 400, { message: 'no' }],
  ])("%s reaches the library as the OP's status and TV_REVOCATION_REFUSED; the tokens stay", async (_name, status, body) => {
    answer.set('/revoke', () => ({ status, body }));
    const { proxy, store } = vault({}, HELD);
    const response = await proxy.handleFetch(revoke('refresh_token'));
    expect(response.status).toBe(status);
    expect(response.headers.get('x-op-secret-header')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'TV_REVOCATION_REFUSED' });
    expect(received.filter((r) => r.path === '/revoke')).toHaveLength(1);
    expect(store.saved).toEqual(HELD);
  });

  it("a 5xx without an OAuth error is the OP's 5xx too, never a made-up 502", async () => {
    answer.set('/revoke', () => ({ status: 503, body: '' }));
    const { proxy } = vault({}, HELD);
    const response = await proxy.handleFetch(revoke('access_token'));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'TV_REVOCATION_REFUSED' });
  });

  it("an OAuth error body stays the OP's answer, rebuilt", async () => {
    answer.set('/revoke', () => ({ status: 400, body: { error: 'unsupported_token_type', extra: 'x' } }));
    const { proxy } = vault({}, HELD);
    const response = await proxy.handleFetch(revoke('access_token'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'unsupported_token_type' });
  });

  it("sealed signOut's logout reports the same empty 401 as refused, with its status", async () => {
    answer.set('/revoke', () => ({ status: 401, body: '' }));
    const { proxy } = vault({}, HELD);
    expect(await proxy.logout()).toMatchObject({ revocation: 'refused', revocationStatus: 401 });
  });
});

describe('VaultProxy: method-restricted rules', () => {
  const overrides: [string, string][] = [
    ['X-HTTP-Method-Override', 'DELETE'],
    ['x-http-method', 'DELETE'],
    ['X-Method-Override', 'DELETE'],
    ['accept', 'application/json'],
  ];
  const get = (path: string): SerializedRequest => ({ url: `${base}${path}`, method: 'GET', headers: overrides, body: null });

  it('strip method-override headers, so a GET-only rule never becomes a DELETE with a credential', async () => {
    answer.set('/v1/items', () => ({ status: 200, body: {} }));
    const { proxy } = vault({ rules: [{ origin: base, pathPrefix: '/v1/', methods: ['GET'] }] }, HELD);
    expect((await proxy.handleFetch(get('/v1/items'))).status).toBe(200);
    const headers = defined(received.find((r) => r.path === '/v1/items')).headers;
    expect(headers['x-http-method-override']).toBeUndefined();
    expect(headers['x-http-method']).toBeUndefined();
    expect(headers['x-method-override']).toBeUndefined();
    expect(headers.accept).toBe('application/json');
    expect(headers.authorization).toBe(`Bearer ${HELD.accessToken}`);
  });

  it('leave them to rules that allow every method anyway', async () => {
    answer.set('/open/items', () => ({ status: 200, body: {} }));
    const { proxy } = vault({ rules: [{ origin: base, pathPrefix: '/open/' }] }, HELD);
    await proxy.handleFetch(get('/open/items'));
    expect(defined(received.find((r) => r.path === '/open/items')).headers['x-http-method-override']).toBe('DELETE');
  });
});

describe("VaultProxy: JWT-shaped placeholders (placeholder: 'jwt') go back only into their one field", () => {
  const issued = () => ({
    status: 200,
    body: { access_token: 'at-new-0123456789', refresh_token: 'rt-new-0123456789', token_type: 'Bearer', expires_in: 60, scope: 'openid api' },
  });
  async function signIn(): Promise<{ proxy: VaultProxy; store: MemoryStore; access: string; refresh: string }> {
    answer.set('/token', issued);
    const { proxy, store } = vault({ placeholder: 'jwt' });
    const body = (await (await proxy.handleFetch(form(`${base}/token`, 'grant_type=authorization_code&code=c&code_verifier=v'))).json()) as Record<string, string>;
    received = [];
    return { proxy, store, access: body.access_token, refresh: body.refresh_token };
  }

  it('answers the code exchange with JWT-shaped placeholders carrying no token', async () => {
    const { access, refresh } = await signIn();
    expect(access.split('.')).toHaveLength(3);
    expect(JSON.parse(atob(access.split('.')[1]))).toMatchObject({ azp: 'spa', scope: 'openid api' });
    expect(access + refresh).not.toContain('at-new');
    expect(access + refresh).not.toContain('rt-new');
    expect(refresh.split('.')[2]).toMatch(/^~tvR~/);
  });

  it('swaps the refresh placeholder into refresh_token alone; the same text in another parameter goes out as it is', async () => {
    const { proxy, store, refresh } = await signIn();
    answer.set('/token', () => ({ status: 200, body: { access_token: 'at-2-0123456789', refresh_token: 'rt-2-0123456789', token_type: 'Bearer', expires_in: 60 } }));
    const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'spa', note: refresh });
    const response = await proxy.handleFetch(form(`${base}/token`, params.toString()));
    expect(response.status).toBe(200);
    const sent = new URLSearchParams(tokenPosts()[0].body);
    expect(sent.get('refresh_token')).toBe('rt-new-0123456789');
    expect(sent.get('note')).toBe(refresh);
    // The next placeholders are current: the same grant's mark, recognised for the rotated token.
    const next = (await response.json()) as Record<string, string>;
    expect(next.refresh_token).not.toContain('rt-2');
    expect(store.saved?.refreshToken).toBe('rt-2-0123456789');
    received = [];
    await proxy.handleFetch(form(`${base}/token`, `grant_type=refresh_token&client_id=spa&refresh_token=${encodeURIComponent(next.refresh_token)}`));
    expect(new URLSearchParams(tokenPosts()[0].body).get('refresh_token')).toBe('rt-2-0123456789');
  });

  it.each([
    ['REDACTED', () => REDACTED],
    ['the access token placeholder', (p: { access: string }) => p.access],
    ['a placeholder with an altered mark', (p: { refresh: string }) => p.refresh.slice(0, -2) + 'xx'],
  ])('refuses a refresh grant with %s, sending nothing', async (_name, pick) => {
    const signedIn = await signIn();
    const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pick(signedIn), client_id: 'spa' });
    expect(await failure(signedIn.proxy.handleFetch(form(`${base}/token`, params.toString())))).toBe('TV_INVALID_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('revokes the token its placeholder names; a hint naming the other is refused', async () => {
    const { proxy, access } = await signIn();
    answer.set('/revoke', () => ({ status: 200, body: {} }));
    expect(await failure(proxy.handleFetch(form(`${base}/revoke`, new URLSearchParams({ token: access, token_type_hint: 'refresh_token' }).toString())))).toBe(
      'TV_INVALID_REQUEST',
    );
    expect(received.filter((r) => r.path === '/revoke')).toHaveLength(0);
    await proxy.handleFetch(form(`${base}/revoke`, new URLSearchParams({ token: access }).toString()));
    expect(received.filter((r) => r.path === '/revoke').map((r) => Object.fromEntries(new URLSearchParams(r.body)))).toEqual([
      { token: 'at-new-0123456789', token_type_hint: 'access_token', client_id: 'spa' },
    ]);
  });
});

describe('VaultProxy: OP paths outside its endpoints (opPassThrough)', () => {
  it('refuses an undeclared one, saying how to declare it, and never performs a declared one: nothing is sent', async () => {
    const { proxy } = vault({ opPassThrough: [`${base}/am/json/realms/root/sessions`] }, HELD);
    const sessions = {
      url: `${base}/am/json/realms/root/sessions/?_action=logout`,
      method: 'POST',
      headers: [['authorization', 'Bearer REDACTED']] as [string, string][],
      body: null,
    };
    const undeclared = await proxy.handleFetch({ ...sessions, url: `${base}/am/json/realms/root/users` }).catch((err: unknown) => err as VaultError);
    expect(undeclared).toBeInstanceOf(VaultError);
    expect((undeclared as VaultError).code).toBe('TV_UNCLASSIFIED_OP_REQUEST');
    expect((undeclared as VaultError).message).toContain('opPassThrough');
    expect(await failure(proxy.handleFetch(sessions))).toBe('TV_URL_NOT_ALLOWED');
    expect(received.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses to start with a declaration over the token endpoint', async () => {
    const { proxy } = vault({ opPassThrough: [`${base}/token`] }, HELD);
    expect(await failure(proxy.handleFetch(form(`${base}/token`, `grant_type=refresh_token&refresh_token=${REDACTED}`)))).toBe('TV_INVALID_CONFIG');
    expect(tokenPosts()).toHaveLength(0);
  });
});

describe('VaultProxy: routing-override headers and _method fields', () => {
  const routing: [string, string][] = [
    ['X-Original-URL', '/admin/delete-all'],
    ['X-Rewrite-URL', '/admin/'],
    ['X-Original-URI', '/admin/'],
    ['X-Forwarded-Uri', '/admin/'],
    ['X-Forwarded-Prefix', '/admin'],
    ['X-Forwarded-Path', '/admin/'],
    ['X-Forwarded-Host', 'internal.example.com'],
    ['X-Forwarded-Server', 'internal.example.com'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-Scheme', 'https'],
    ['X-Forwarded-Port', '8443'],
    ['X-Original-Host', 'internal.example.com'],
    ['X-Host', 'internal.example.com'],
    ['X-HTTP-Host-Override', 'internal.example.com'],
    ['X-Envoy-Original-Path', '/admin/'],
    ['Forwarded', 'host=internal.example.com'],
    ['accept', 'application/json'],
  ];
  const request = (path: string, method: string, headers: [string, string][], body: string | null = null, type = 'application/x-www-form-urlencoded'): SerializedRequest => ({
    url: `${base}${path}`,
    method,
    headers: body === null ? headers : [...headers, ['content-type', type]],
    body: body === null ? null : new TextEncoder().encode(body).buffer,
  });

  it.each([
    ['a prefix-only rule', { origin: '', pathPrefix: '/v1/' }],
    ['a method-limited rule', { origin: '', pathPrefix: '/v1/', methods: ['GET'] }],
  ])('strip every routing-override header on %s; other headers go through', async (_name, rule) => {
    answer.set('/v1/items', () => ({ status: 200, body: {} }));
    const { proxy } = vault({ rules: [{ ...rule, origin: base }] }, HELD);
    expect((await proxy.handleFetch(request('/v1/items', 'GET', routing))).status).toBe(200);
    const headers = defined(received.find((r) => r.path === '/v1/items')).headers;
    for (const [name] of routing.slice(0, -1)) expect(headers[name.toLowerCase()], name).toBeUndefined();
    expect(headers.accept).toBe('application/json');
    expect(headers.authorization).toBe(`Bearer ${HELD.accessToken}`);
  });

  it.each([
    ['a form field', '/v1/items', '_method=DELETE&name=x', 'application/x-www-form-urlencoded'],
    ['an encoded form field', '/v1/items', '%5Fmethod=DELETE', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['a multipart field', '/v1/items', '--b\r\nContent-Disposition: form-data; name="_method"\r\n\r\nDELETE\r\n--b--\r\n', 'multipart/form-data; boundary=b'],
    ['a JSON key', '/v1/items', '{"_method":"DELETE"}', 'application/json'],
    ['a query parameter', '/v1/items?_method=DELETE', 'name=x', 'application/x-www-form-urlencoded'],
  ])('refuse %s _method on a method-limited rule: TV_INVALID_REQUEST, nothing sent', async (_name, path, body, type) => {
    const { proxy } = vault({ rules: [{ origin: base, pathPrefix: '/v1/', methods: ['POST'] }] }, HELD);
    await expect(proxy.handleFetch(request(path, 'POST', [], body, type))).rejects.toMatchObject({ code: 'TV_INVALID_REQUEST' });
    expect(received.filter((r) => r.path === '/v1/items')).toHaveLength(0);
  });

  it('pass _method to a rule that allows every method, and a form without one to a method-limited rule', async () => {
    answer.set('/v1/items', () => ({ status: 200, body: {} }));
    const open = vault({ rules: [{ origin: base, pathPrefix: '/v1/' }] }, HELD);
    expect((await open.proxy.handleFetch(request('/v1/items', 'POST', [], '_method=DELETE'))).status).toBe(200);
    const limited = vault({ rules: [{ origin: base, pathPrefix: '/v1/', methods: ['POST'] }] }, HELD);
    expect((await limited.proxy.handleFetch(request('/v1/items', 'POST', [], 'method=DELETE&x=_method'))).status).toBe(200);
    expect(received.filter((r) => r.path === '/v1/items')).toHaveLength(2);
  });
});
