import { type ProxyConfig } from '@tokenvault/config';
import { type SerializedRequest } from '@tokenvault/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { jwtPayload } from '@tokenvault/oidc';
import { newPlaceholderMark, placeholderFor, placeholderKind } from '../src/tokens/placeholder.js';
import { REDACTED } from '../src/tokens/redact.js';
import type { ApiTokens, TokenSet, TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { MemoryStore, failure, idTokenFor, useTestOp, type Answer, type Received, dropInConfig } from './helpers.js';

// One token per API (RFC 8707, ResourceTokens behind VaultProxy), against a real HTTP server in
// Node playing the OP and two APIs. The OP rotates its refresh token at every use and, as a real
// one does, kills the grant when a used one comes back (invalid_grant): a vault that used a
// rotated refresh token twice would be signed out here. Storage is in memory; Web Locks are the
// in-realm queue (the e2e suites prove the browser's, across tabs).

const op = await useTestOp();

const API1 = () => `${op.base}/api1/`;
const API2 = () => `${op.base}/api2/`;

/** The OP's grant: its live refresh token, the ones it rotated away, what it issued per resource. */
let grant: { live: string; used: Set<string>; serial: number; refuse: Set<string>; expiresIn: Record<string, number>; delayMs: number };

beforeEach(() => {
  grant = { live: 'rt-0', used: new Set(), serial: 0, refuse: new Set(), expiresIn: {}, delayMs: 0 };
  op.answer.set('/token', (request): Answer => {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') === 'authorization_code') {
      grant.live = 'rt-signin';
      // A code exchange naming a resource gets a token for that API (oidc-provider's behaviour).
      const named = form.get('resource');
      return {
        status: 200,
        body: {
          access_token: named ? `at-code-${new URL(named).pathname.replaceAll('/', '')}` : 'at-signin',
          refresh_token: 'rt-signin',
          id_token: idTokenFor('alice'),
          token_type: 'Bearer',
          expires_in: 600,
          scope: 'openid api',
        },
      };
    }
    const rt = form.get('refresh_token') ?? '';
    if (grant.used.has(rt)) {
      grant.live = 'dead';
      return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token already used' } };
    }
    if (rt !== grant.live) return { status: 400, body: { error: 'invalid_grant' } };
    const resource = form.get('resource') ?? form.get('audience') ?? '';
    if (grant.refuse.has(resource)) return { status: 400, body: { error: 'invalid_target' } };
    grant.used.add(rt);
    grant.live = `rt-${++grant.serial}`;
    return {
      status: 200,
      delayMs: grant.delayMs,
      body: {
        access_token: `at-${resource === '' ? 'default' : new URL(resource, op.base).pathname.replaceAll('/', '')}-${grant.serial}`,
        refresh_token: grant.live,
        token_type: 'Bearer',
        expires_in: grant.expiresIn[resource] ?? 600,
        scope: 'openid api',
      },
    };
  });
  for (const path of ['/api1/items', '/api2/items', '/plain/items']) op.answer.set(path, () => ({ status: 200, body: {} }));
});

const ALICE = idTokenFor('alice');
const signedIn = (changes: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: 'at-default-0',
  refreshToken: 'rt-0',
  idToken: ALICE,
  tokenType: 'Bearer',
  scope: 'openid api',
  expiresAt: Date.now() + 600_000,
  ...changes,
});

function vault(stored: TokenSet | null = signedIn(), apis: ApiTokens = {}, changes: Partial<ProxyConfig> = {}) {
  const store = new MemoryStore();
  store.saved = stored;
  store.savedApis = apis;
  const config = dropInConfig(op, {
    rules: [
      { origin: op.base, pathPrefix: '/api1/', resource: API1() },
      { origin: op.base, pathPrefix: '/api2/', resource: API2() },
      { origin: op.base, pathPrefix: '/plain/' },
    ],
    ...changes,
  });
  const proxy = new VaultProxy(config, store as unknown as TokenStore);
  const events: string[] = [];
  proxy.onEvent = (event) => void events.push(event);
  return { proxy, store, events };
}

const get = (path: string): SerializedRequest => ({ url: `${op.base}${path}`, method: 'GET', headers: [['authorization', `Bearer ${REDACTED}`]], body: null });
const form = (r: Received): Record<string, string> => Object.fromEntries(new URLSearchParams(r.body));
const tokenPosts = (): Record<string, string>[] => op.received.filter((r) => r.path === '/token').map(form);
const bearerAt = (path: string): (string | undefined)[] => op.received.filter((r) => r.path === path).map((r) => r.headers.authorization);

describe('ResourceTokens: one token per API', () => {
  it('each API gets a token of its own from the refresh token (resource on the refresh grant), and never the other one', async () => {
    const { proxy, store } = vault();
    expect((await proxy.handleFetch(get('/api1/items'))).status).toBe(200);
    expect((await proxy.handleFetch(get('/api2/items'))).status).toBe(200);
    expect(tokenPosts()).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'spa', resource: API1() },
      { grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'spa', resource: API2() },
    ]);
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-api1-1']);
    expect(bearerAt('/api2/items')).toEqual(['Bearer at-api2-2']);
    // Kept apart; the sign-in's own token stays as it was, its refresh token follows the rotation.
    expect(Object.keys(store.savedApis)).toEqual([API1(), API2()]);
    expect(store.saved).toMatchObject({ accessToken: 'at-default-0', refreshToken: 'rt-2', idToken: ALICE });
  });

  it('a rule without resource, and the userinfo endpoint, get the sign-in token; a held API token is reused without asking', async () => {
    op.discovery.userinfo_endpoint = `${op.base}/me`;
    op.answer.set('/me', () => ({ status: 200, body: { sub: 'alice' } }));
    const { proxy } = vault(signedIn(), { [API1()]: { accessToken: 'at-api1-held', tokenType: 'Bearer', scope: 'api', expiresAt: Date.now() + 600_000 } });
    await proxy.handleFetch(get('/plain/items'));
    await proxy.handleFetch(get('/me'));
    await proxy.handleFetch(get('/api1/items'));
    expect(bearerAt('/plain/items')).toEqual(['Bearer at-default-0']);
    expect(bearerAt('/me')).toEqual(['Bearer at-default-0']);
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-api1-held']);
    expect(tokenPosts()).toHaveLength(0);
  });

  it('refreshes an API token before it expires, and only that one', async () => {
    const soon = Date.now() + 5_000;
    const { proxy, store } = vault(signedIn(), {
      [API1()]: { accessToken: 'at-api1-old', tokenType: 'Bearer', scope: 'api', expiresAt: soon },
      [API2()]: { accessToken: 'at-api2-held', tokenType: 'Bearer', scope: 'api', expiresAt: Date.now() + 600_000 },
    });
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/api2/items'));
    expect(tokenPosts().map((p) => p.resource)).toEqual([API1()]);
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-api1-1']);
    expect(bearerAt('/api2/items')).toEqual(['Bearer at-api2-held']);
    expect(store.savedApis[API2()]?.accessToken).toBe('at-api2-held');
  });

  it('on a 401 refreshes that API once and sends again; a second 401 is the API’s answer', async () => {
    let calls = 0;
    op.answer.set('/api1/items', () => ({ status: ++calls === 1 ? 401 : 200, body: {} }));
    const { proxy } = vault(signedIn(), { [API1()]: { accessToken: 'at-api1-revoked', tokenType: 'Bearer', scope: 'api', expiresAt: Date.now() + 600_000 } });
    expect((await proxy.handleFetch(get('/api1/items'))).status).toBe(200);
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-api1-revoked', 'Bearer at-api1-1']);
    op.answer.set('/api1/items', () => ({ status: 401, body: {} }));
    expect((await proxy.handleFetch(get('/api1/items'))).status).toBe(401);
    expect(tokenPosts()).toHaveLength(2);
  });

  it('many requests to two APIs at expiry, with rotation: one refresh per API, each with the newest refresh token, no session lost', async () => {
    grant.delayMs = 50;
    const { proxy, store, events } = vault();
    const requests = [1, 2, 3, 4, 5].flatMap(() => [proxy.handleFetch(get('/api1/items')), proxy.handleFetch(get('/api2/items'))]);
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses).toEqual(Array(10).fill(200));
    const posts = tokenPosts();
    expect(posts.map((p) => p.resource).sort()).toEqual([API1(), API2()].sort());
    expect(posts.map((p) => p.refresh_token)).toEqual(['rt-0', 'rt-1']);
    expect(grant.live).toBe('rt-2');
    expect(store.saved?.refreshToken).toBe('rt-2');
    expect(events).not.toContain('signed-out');
  });

  it('tokens that expire at different times are each refreshed when theirs does', async () => {
    grant.expiresIn = { [API1()]: 31, [API2()]: 600 };
    const { proxy } = vault(signedIn(), {}, { refreshSkewSeconds: 30 });
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/api2/items'));
    // API 1's token expires within the skew a second later; API 2's does not.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/api2/items'));
    expect(tokenPosts().map((p) => p.resource)).toEqual([API1(), API2(), API1()]);
    expect(bearerAt('/api2/items')).toEqual(['Bearer at-api2-2', 'Bearer at-api2-2']);
  });

  it('an API the OP issues no token for answers TV_NO_API_TOKEN, sends nothing to it, and keeps the session and the other API', async () => {
    grant.refuse.add(API2());
    const { proxy, store, events } = vault();
    expect(await failure(proxy.handleFetch(get('/api2/items')))).toBe('TV_NO_API_TOKEN');
    expect(bearerAt('/api2/items')).toEqual([]);
    expect(store.saved?.refreshToken).toBe('rt-0');
    expect(events).not.toContain('signed-out');
    expect((await proxy.handleFetch(get('/api1/items'))).status).toBe(200);
  });

  it('without a refresh token an API without a token answers TV_NO_API_TOKEN; without a sign-in TV_NOT_SIGNED_IN', async () => {
    expect(await failure(vault(signedIn({ refreshToken: null })).proxy.handleFetch(get('/api1/items')))).toBe('TV_NO_API_TOKEN');
    expect(await failure(vault(null).proxy.handleFetch(get('/api1/items')))).toBe('TV_NOT_SIGNED_IN');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('invalid_grant on an API refresh signs out: the grant is dead, every API token goes', async () => {
    const { proxy, store, events } = vault(signedIn({ refreshToken: 'rt-revoked' }), {
      [API2()]: { accessToken: 'at-api2-held', tokenType: 'Bearer', scope: 'api', expiresAt: Date.now() + 600_000 },
    });
    expect(await failure(proxy.handleFetch(get('/api1/items')))).toBe('TV_REFRESH_FAILED');
    expect(store.saved).toBeNull();
    expect(store.savedApis).toEqual({});
    expect(events).toContain('signed-out');
  });

  it('a 5xx on an API refresh is TV_UPSTREAM_UNREACHABLE and keeps the session', async () => {
    op.answer.set('/token', () => ({ status: 503, body: { error: 'temporarily_unavailable' } }));
    const { proxy, store } = vault();
    expect(await failure(proxy.handleFetch(get('/api1/items')))).toBe('TV_UPSTREAM_UNREACHABLE');
    expect(store.saved?.refreshToken).toBe('rt-0');
  });

  it('an audience rule sends audience= (Auth0), not resource=', async () => {
    const { proxy } = vault(signedIn(), {}, { rules: [{ origin: op.base, pathPrefix: '/api1/', audience: 'https://api1.example/' }] });
    await proxy.handleFetch(get('/api1/items'));
    expect(tokenPosts()).toEqual([{ grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'spa', audience: 'https://api1.example/' }]);
  });

  it('a rule’s scope goes on its refresh grant: alone it names the API (Entra ID v2.0, Keycloak), beside resource it narrows it', async () => {
    const { proxy, store } = vault(
      signedIn(),
      {},
      {
        rules: [
          { origin: op.base, pathPrefix: '/api1/', scope: 'api://api1/.default' },
          { origin: op.base, pathPrefix: '/api2/', resource: API2(), scope: 'read' },
        ],
      },
    );
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/api2/items'));
    await proxy.handleFetch(get('/api1/items'));
    expect(tokenPosts()).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'spa', scope: 'api://api1/.default' },
      { grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'spa', resource: API2(), scope: 'read' },
    ]);
    // Each in its own slot (the scope-only API's named by its scope); the sign-in's token stays.
    expect(Object.keys(store.savedApis)).toEqual(['api://api1/.default', API2()]);
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-default-1', 'Bearer at-default-1']);
    expect(store.saved?.accessToken).toBe('at-default-0');
  });

  it('the sign-in token’s own refresh (an app library’s) keeps every API token; a new sign-in drops them', async () => {
    const apis = { [API1()]: { accessToken: 'at-api1-held', tokenType: 'Bearer', scope: 'api', expiresAt: Date.now() + 600_000 } };
    const { proxy, store } = vault(signedIn(), apis);
    const refresh = { ...get('/token'), method: 'POST', headers: [['content-type', 'application/x-www-form-urlencoded']] as [string, string][] };
    const body = (fields: Record<string, string>) => new TextEncoder().encode(new URLSearchParams(fields).toString()).buffer;
    await proxy.handleFetch({ ...refresh, body: body({ grant_type: 'refresh_token', refresh_token: REDACTED, client_id: 'spa' }) });
    expect(store.saved?.accessToken).toBe('at-default-1');
    expect(store.savedApis).toEqual(apis);
    await proxy.handleFetch({ ...refresh, body: body({ grant_type: 'authorization_code', code: 'c', code_verifier: 'v', client_id: 'spa' }) });
    expect(store.saved?.accessToken).toBe('at-signin');
    expect(store.savedApis).toEqual({});
  });
});

describe('ResourceTokens: status and logout', () => {
  it('status lists the APIs that hold a token, with when each expires, never a token', async () => {
    const { proxy } = vault();
    expect((await proxy.status()).apis).toEqual([]);
    await proxy.handleFetch(get('/api2/items'));
    const status = await proxy.status();
    expect(status.apis).toEqual([{ api: API2(), expiresAt: expect.any(Number) as number }]);
    expect(JSON.stringify(status)).not.toContain('at-');
  });

  it('logout revokes the refresh token, the sign-in token and every API token, then clears them all', async () => {
    op.answer.set('/revoke', () => ({ status: 200, body: '' }));
    const { proxy, store } = vault();
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/api2/items'));
    const result = await proxy.logout();
    const revoked = op.received.filter((r) => r.path === '/revoke').map(form);
    expect(revoked.map((f) => [f.token, f.token_type_hint])).toEqual([
      ['rt-2', 'refresh_token'],
      ['at-default-0', 'access_token'],
      ['at-api1-1', 'access_token'],
      ['at-api2-2', 'access_token'],
    ]);
    expect(result.revocation).toBe('revoked');
    expect(result.revocations.map((a) => a.api)).toEqual([undefined, undefined, API1(), API2()]);
    expect(store.saved).toBeNull();
    expect(store.savedApis).toEqual({});
    expect((await proxy.status()).apis).toEqual([]);
  });
});

describe('ResourceTokens: a library’s own token requests (drop-in)', () => {
  const tokenPost = (fields: [string, string][]): SerializedRequest => ({
    url: `${op.base}/token`,
    method: 'POST',
    headers: [['content-type', 'application/x-www-form-urlencoded']],
    body: new TextEncoder().encode(new URLSearchParams(fields).toString()).buffer,
  });
  const libraryRefresh = (...extra: [string, string][]) => tokenPost([['grant_type', 'refresh_token'], ['refresh_token', REDACTED], ['client_id', 'spa'], ...extra]);

  it('a refresh for one API is stored into that API’s slot (not the sign-in set) and answered redacted; then served from the slot', async () => {
    const { proxy, store } = vault();
    const first = (await (await proxy.handleFetch(libraryRefresh(['resource', API1()]))).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ access_token: REDACTED, refresh_token: REDACTED, token_type: 'Bearer', scope: 'openid api' });
    expect(JSON.stringify(first)).not.toMatch(/at-|rt-/);
    expect(store.saved).toMatchObject({ accessToken: 'at-default-0', refreshToken: 'rt-1' });
    expect(store.savedApis[API1()]?.accessToken).toBe('at-api1-1');
    await proxy.handleFetch(libraryRefresh(['resource', API1()]));
    expect(tokenPosts()).toHaveLength(1);
    await proxy.handleFetch(get('/api1/items'));
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-api1-1']);
  });

  it('a refresh naming an API the rules do not list, or two, is TV_INVALID_REQUEST and sends nothing', async () => {
    const { proxy, store } = vault();
    expect(await failure(proxy.handleFetch(libraryRefresh(['resource', 'https://elsewhere.example/'])))).toBe('TV_INVALID_REQUEST');
    expect(await failure(proxy.handleFetch(libraryRefresh(['resource', API1()], ['resource', API2()])))).toBe('TV_INVALID_REQUEST');
    expect(await failure(proxy.handleFetch(libraryRefresh(['audience', API1()])))).toBe('TV_INVALID_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
    expect(store.saved?.refreshToken).toBe('rt-0');
  });

  const codeExchange = (...extra: [string, string][]) =>
    tokenPost([['grant_type', 'authorization_code'], ['code', 'c'], ['code_verifier', 'v'], ['client_id', 'spa'], ['redirect_uri', 'https://app.example.com/callback'], ...extra]);

  it('a code exchange naming one API stores its token in that API’s slot; the sign-in’s own is asked for at once, naming none', async () => {
    const { proxy, store, events } = vault(null);
    const answer = (await (await proxy.handleFetch(codeExchange(['resource', API1()]))).json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ access_token: REDACTED, refresh_token: REDACTED, id_token: ALICE, token_type: 'Bearer' });
    expect(JSON.stringify(answer)).not.toMatch(/at-|rt-/);
    expect(tokenPosts().map((f) => [f.grant_type, f.resource, f.refresh_token])).toEqual([
      ['authorization_code', API1(), undefined],
      ['refresh_token', undefined, 'rt-signin'],
    ]);
    expect(store.savedApis[API1()]?.accessToken).toBe('at-code-api1');
    // The sign-in's own token (no resource): what userinfo and rules without resource get.
    expect(store.saved).toMatchObject({ accessToken: 'at-default-1', refreshToken: 'rt-1', idToken: ALICE });
    expect(events).toEqual(['signed-in']);
    await proxy.handleFetch(get('/api1/items'));
    await proxy.handleFetch(get('/plain/items'));
    expect(bearerAt('/api1/items')).toEqual(['Bearer at-code-api1']);
    expect(bearerAt('/plain/items')).toEqual(['Bearer at-default-1']);
    expect(tokenPosts()).toHaveLength(2);
  });

  it('a code exchange naming no API, or one no rule lists, is the sign-in’s token, as before', async () => {
    const { proxy, store } = vault(null);
    await proxy.handleFetch(codeExchange(['resource', 'https://elsewhere.example/']));
    expect(store.saved?.accessToken).toBe('at-code-');
    expect(store.savedApis).toEqual({});
    await proxy.handleFetch(codeExchange());
    expect(store.saved?.accessToken).toBe('at-signin');
    expect(tokenPosts().map((f) => f.grant_type)).toEqual(['authorization_code', 'authorization_code']);
  });

  it('with placeholder jwt, a per-API refresh answers jwt-shaped placeholders (the API token’s for the access token), as the sign-in’s refresh does', async () => {
    const held = signedIn({ placeholderMark: newPlaceholderMark() });
    const { proxy, store } = vault(held, {}, { placeholder: 'jwt' });
    grant.expiresIn[API1()] = 120;
    const options = { shape: 'jwt', issuer: op.base, clientId: 'spa' } as const;
    const answer = (await (
      await proxy.handleFetch(
        tokenPost([
          ['grant_type', 'refresh_token'],
          ['refresh_token', placeholderFor(held, 'refresh_token', options)],
          ['client_id', 'spa'],
          ['resource', API1()],
        ]),
      )
    ).json()) as Record<string, string>;
    expect(answer.access_token).not.toBe(REDACTED);
    expect(placeholderKind(answer.access_token, store.saved, 'jwt')).toBe('access_token');
    expect(placeholderKind(answer.refresh_token, store.saved, 'jwt')).toBe('refresh_token');
    // The access token's placeholder carries the API token's expiry, not the sign-in's.
    const exp = jwtPayload(answer.access_token)?.exp;
    expect(exp).toBe(Math.floor((store.savedApis[API1()]?.expiresAt ?? 0) / 1000));
    expect(exp).toBeLessThan(Math.floor((held.expiresAt ?? 0) / 1000) - 300);
    expect(JSON.stringify(answer)).not.toMatch(/at-|rt-/);
    // Served from the slot the second time: the same shape.
    const again = (await (
      await proxy.handleFetch(
        tokenPost([
          ['grant_type', 'refresh_token'],
          ['refresh_token', answer.refresh_token],
          ['client_id', 'spa'],
          ['resource', API1()],
        ]),
      )
    ).json()) as Record<string, string>;
    expect(placeholderKind(again.access_token, store.saved, 'jwt')).toBe('access_token');
    expect(tokenPosts()).toHaveLength(1);
  });

  it('a library’s refresh asking exactly the scope of an API the rules name by scope is that API’s: served from its slot', async () => {
    const { proxy, store } = vault(signedIn(), {}, { rules: [{ origin: op.base, pathPrefix: '/api1/', scope: 'api://api1/.default' }] });
    const answer = (await (await proxy.handleFetch(libraryRefresh(['scope', 'api://api1/.default']))).json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ access_token: REDACTED, token_type: 'Bearer' });
    expect(store.savedApis['api://api1/.default']?.accessToken).toBe('at-default-1');
    expect(store.saved?.accessToken).toBe('at-default-0');
    // Another scope is the sign-in's own refresh, as before.
    await proxy.handleFetch(libraryRefresh(['scope', 'openid api']));
    expect(store.saved?.accessToken).toBe('at-default-2');
    expect(tokenPosts().map((f) => f.scope)).toEqual(['api://api1/.default', 'openid api']);
  });
});
