import { type SerializedRequest } from '@tokenvault/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueueListener } from '../src/network/InFlightLimit.js';
import type { TokenSet, TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { MemoryStore, REDACTED, failure, useTestOp, dropInConfig, form } from './helpers.js';

// Which of the app's requests count against maxUpstreamRequests (routeFetch): its protected
// requests and every OP call it sends the vault, each with the queued / started messages a
// protected request gets; the vault's own calls to the OP (a refresh) never, so a refresh under the
// tokens' lock cannot wait for a place held by an app's token request waiting for that lock.
// Against a real HTTP server in Node playing the OP and an API, with one place.

const op = await useTestOp();

beforeEach(() => {
  op.discovery = { ...op.discovery, introspection_endpoint: `${op.base}/introspect`, userinfo_endpoint: `${op.base}/me`, jwks_uri: `${op.base}/jwks` };
  const answer = (path: string, body: unknown, delayMs = 0): void => void op.answer.set(path, () => ({ status: 200, body, delayMs }));
  answer('/token', { access_token: 'at-new-0123456789', refresh_token: 'rt-new-0123456789', token_type: 'Bearer', expires_in: 600, scope: 'openid api' }, HOLD_MS);
  answer('/api/items', { ok: true }, HOLD_MS);
  answer('/revoke', {});
  answer('/introspect', { active: true });
  answer('/me', { sub: 'alice' });
  answer('/jwks', { keys: [] });
});

/** How long the OP holds a token answer and the API its answer: a holder keeps its place so long. */
const HOLD_MS = 300;

const held = (changes: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: 'at-held-0123456789',
  refreshToken: 'rt-held-0123456789',
  idToken: null,
  tokenType: 'Bearer',
  scope: 'openid api',
  expiresAt: Date.now() + 600_000,
  ...changes,
});

/**
 * A drop-in vault with one upstream place (and a short queue limit: a deadlock fails, it does not
 * hang), its OP-call handlers loaded (drop-in mode loads them at start; the first import here takes
 * longer than a holder holds its place).
 */
async function vault(stored: TokenSet): Promise<VaultProxy> {
  const store = new MemoryStore();
  store.saved = stored;
  const config = dropInConfig(op, { maxUpstreamRequests: 1, timeouts: { queueMs: 3_000 } });
  const proxy = new VaultProxy(config, store as unknown as TokenStore);
  await proxy.opCalls();
  return proxy;
}

const post = (path: string, params: Record<string, string>): SerializedRequest => form(`${op.base}${path}`, Object.entries(params));
const get = (path: string, authorization?: string): SerializedRequest => ({
  url: `${op.base}${path}`,
  method: 'GET',
  headers: authorization ? [['authorization', authorization]] : [],
  body: null,
});
const refreshGrant = (): SerializedRequest => post('/token', { grant_type: 'refresh_token', refresh_token: REDACTED, client_id: 'spa' });
const codeGrant = (): SerializedRequest => post('/token', { grant_type: 'authorization_code', code: 'c', code_verifier: 'v', client_id: 'spa' });
const apiGet = (): SerializedRequest => get('/api/items', `Bearer ${REDACTED}`);

/** A QueueListener that writes down what it hears. */
function listener(): { heard: string[]; onQueue: QueueListener } {
  const heard: string[] = [];
  return { heard, onQueue: (state) => void heard.push(state) };
}

/** When the OP (or the API) saw each request at `path` (performance.now()). */
const seen = (path: string): number[] => op.received.filter((r) => r.path === path).map((r) => r.at);
const last = (path: string): number => seen(path).at(-1) ?? Number.NaN;
const tokenPosts = (): string[] => op.received.filter((r) => r.path === '/token').map((r) => String(new URLSearchParams(r.body).get('grant_type')));

describe('routeFetch: the app’s OP calls count against maxUpstreamRequests', () => {
  it.each([
    ['token (refresh grant)', refreshGrant, '/token'],
    ['revocation', () => post('/revoke', { token: REDACTED, token_type_hint: 'access_token', client_id: 'spa' }), '/revoke'],
    ['introspection', () => post('/introspect', { token: REDACTED, token_type_hint: 'access_token' }), '/introspect'],
    ['userinfo', () => get('/me', `Bearer ${REDACTED}`), '/me'],
    ['discovery', () => get('/.well-known/openid-configuration'), '/.well-known/openid-configuration'],
    ['jwks', () => get('/jwks'), '/jwks'],
  ])('%s waits behind a protected request that holds the one place, hears queued, and starts when its head is in', async (_kind, request, path) => {
    const proxy = await vault(held());
    const holder = proxy.handleFetch(apiGet());
    await expect.poll(() => seen('/api/items').length).toBe(1);
    const before = seen(path).length;
    const { heard, onQueue } = listener();
    const call = proxy.handleFetch(request(), undefined, onQueue);
    await expect.poll(() => heard).toEqual(['queued']);
    expect((await holder).status).toBe(200);
    expect((await call).status).toBe(200);
    expect(heard).toEqual(['queued', 'started']);
    // Sent once the holder's answer was in (the API held it HOLD_MS), never beside it.
    expect(seen(path)).toHaveLength(before + 1);
    expect(last(path) - last('/api/items')).toBeGreaterThanOrEqual(HOLD_MS - 10);
  });

  it('a second OP call (userinfo) waits for the place an app’s token request holds until its answer is in', async () => {
    const proxy = await vault(held());
    const first = listener();
    const token = proxy.handleFetch(refreshGrant(), undefined, first.onQueue);
    await expect.poll(() => seen('/token').length).toBe(1);
    const second = listener();
    const userinfo = proxy.handleFetch(get('/me', `Bearer ${REDACTED}`), undefined, second.onQueue);
    await expect.poll(() => second.heard).toEqual(['queued']);
    expect(seen('/me')).toHaveLength(0);
    expect((await token).status).toBe(200);
    expect((await userinfo).status).toBe(200);
    expect(first.heard).toEqual([]);
    expect(second.heard).toEqual(['queued', 'started']);
    expect(last('/me') - last('/token')).toBeGreaterThanOrEqual(HOLD_MS - 10);
  });

  it('an OP call aborted while it waits leaves the queue with TV_ABORTED and is never sent; the next one starts at once', async () => {
    const proxy = await vault(held());
    const holder = proxy.handleFetch(apiGet());
    await expect.poll(() => seen('/api/items').length).toBe(1);
    const controller = new AbortController();
    const { heard, onQueue } = listener();
    const token = proxy.handleFetch(refreshGrant(), controller.signal, onQueue);
    await expect.poll(() => heard).toEqual(['queued']);
    controller.abort();
    expect(await failure(token)).toBe('TV_ABORTED');
    expect((await holder).status).toBe(200);
    const next = listener();
    expect((await proxy.handleFetch(get('/jwks'), undefined, next.onQueue)).status).toBe(200);
    expect(next.heard).toEqual([]);
    expect(seen('/token')).toHaveLength(0);
    expect(heard).toEqual(['queued']);
  });

  it('a request the routing refuses (a token request not POSTed) takes no place: refused at once while the place is held', async () => {
    const proxy = await vault(held());
    const holder = proxy.handleFetch(apiGet());
    await expect.poll(() => seen('/api/items').length).toBe(1);
    const { heard, onQueue } = listener();
    expect(await failure(proxy.handleFetch({ ...refreshGrant(), method: 'PUT' }, undefined, onQueue))).toBe('TV_INVALID_REQUEST');
    expect(heard).toEqual([]);
    expect((await holder).status).toBe(200);
  });
});

describe('routeFetch: the vault’s own refresh takes no place', () => {
  it('no deadlock: a protected request refreshes while the one place is held by an app’s token request that then waits for the lock', async () => {
    // The app's code grant holds the place from its send; its answer (HOLD_MS) is then stored under the
    // tokens' lock. Meanwhile a protected request finds its token expiring and refreshes under that
    // lock: were the refresh to wait for the place, each would wait for the other until the queue limit.
    const proxy = await vault(held({ expiresAt: Date.now() }));
    const app = listener();
    let appDone = false;
    const code = proxy.handleFetch(codeGrant(), undefined, app.onQueue).finally(() => (appDone = true));
    await expect.poll(() => seen('/token').length).toBe(1);
    const api = listener();
    const request = proxy.handleFetch(apiGet(), undefined, api.onQueue);
    // The refresh goes out while the app's token request still holds the place.
    await expect.poll(() => tokenPosts()).toEqual(['authorization_code', 'refresh_token']);
    expect(appDone).toBe(false);
    expect((await code).status).toBe(200);
    expect((await request).status).toBe(200);
    expect(app.heard).toEqual([]);
    // The API request itself waited for the place, and got it.
    expect(api.heard).toEqual(['queued', 'started']);
    expect(seen('/api/items')).toHaveLength(1);
  });
});
