import { REDACTED } from '../src/tokens/redact.js';
import { type ProxyConfig } from '@tokenvault/config';
import { type SerializedRequest } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { Dpop } from '../src/dpop/Dpop.js';
import { DpopKey } from '../src/dpop/DpopKey.js';
import type { TokenSet, TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { defined } from '@tokenvault/test-support';
import { form as formPost, MemoryStore, failure, idTokenFor, useTestOp, type Received, dropInConfig } from './helpers.js';

// The proxy's token lifecycle (TokenLifecycle, behind VaultProxy) from sign-in to sign-out, against
// a real HTTP server in Node playing the OP and an API. The browser's storage is replaced by the
// in-memory store the constructor accepts; Web Locks by the in-realm queue the lock falls back to
// (the e2e suites prove the browser's).

const op = await useTestOp();

/** A DPoP key store in memory: `kept` is the key the tokens are bound to. */
class MemoryDpop extends Dpop {
  kept: DpopKey | null = null;
  constructor() {
    super(() => Promise.reject(new Error('no IndexedDB in Node')));
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

const ALICE = idTokenFor('alice');
const held = (changes: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: 'at-held-0123456789',
  refreshToken: 'rt-held-0123456789',
  idToken: ALICE,
  tokenType: 'Bearer',
  scope: 'openid api',
  expiresAt: Date.now() + 600_000,
  ...changes,
});

function vault(stored: TokenSet | null = null, changes: Partial<ProxyConfig> = {}) {
  const store = new MemoryStore();
  store.saved = stored;
  const dpop = new MemoryDpop();
  const config = dropInConfig(op, changes);
  const proxy = new VaultProxy(config, store as unknown as TokenStore, dpop);
  const events: { event: string; reason?: string | undefined }[] = [];
  proxy.onEvent = (event, detail) => void events.push({ event, reason: detail?.reason });
  return { proxy, store, dpop, events };
}

const post = (path: string, params: Record<string, string>): SerializedRequest => formPost(`${op.base}${path}`, Object.entries(params));
const codeGrant = (): SerializedRequest => post('/token', { grant_type: 'authorization_code', code: 'c', code_verifier: 'v', client_id: 'spa' });
const refreshGrant = (refreshToken = REDACTED): SerializedRequest => post('/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' });
const apiGet = (): SerializedRequest => ({ url: `${op.base}/api/items`, method: 'GET', headers: [['authorization', `Bearer ${REDACTED}`]], body: null });

const tokenPosts = (): Received[] => op.received.filter((r) => r.path === '/token');
const apiCalls = (): Received[] => op.received.filter((r) => r.path === '/api/items');
const form = (r: Received): Record<string, string> => Object.fromEntries(new URLSearchParams(r.body));
/** The token endpoint answers with a new set (`fields` added), after `delayMs`. */
const issue = (fields: Record<string, unknown> = {}, delayMs = 0): void =>
  void op.answer.set('/token', () => ({
    status: 200,
    delayMs,
    body: { access_token: 'at-new-0123456789', refresh_token: 'rt-new-0123456789', token_type: 'Bearer', expires_in: 600, scope: 'openid api', ...fields },
  }));
const apiAnswers = (...statuses: number[]): void => {
  let call = 0;
  op.answer.set('/api/items', () => ({ status: statuses[Math.min(call++, statuses.length - 1)] ?? 200, body: {} }));
};

describe('TokenLifecycle: redeeming a code', () => {
  it('stores the tokens the OP issued and answers the app with them redacted', async () => {
    issue({ id_token: ALICE });
    const { proxy, store, events } = vault();
    const response = await proxy.handleFetch(codeGrant());
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ access_token: REDACTED, refresh_token: REDACTED, token_type: 'Bearer', id_token: ALICE });
    expect(JSON.stringify(body)).not.toContain('at-new-0123456789');
    expect(store.saved).toMatchObject({ accessToken: 'at-new-0123456789', refreshToken: 'rt-new-0123456789', idToken: ALICE, scope: 'openid api' });
    expect(events.map((e) => e.event)).toContain('signed-in');
  });

  it('sealed: redeemCode lets verify check the response first, then stores the tokens and says which event', async () => {
    issue({ id_token: ALICE });
    const { proxy, store, events } = vault(null, { mode: 'sealed' });
    const seen: unknown[] = [];
    await proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), (json) => void seen.push(json.id_token), 'renewed');
    expect(seen).toEqual([ALICE]);
    expect(store.saved?.accessToken).toBe('at-new-0123456789');
    expect(events.map((e) => e.event)).toContain('renewed');
  });

  it('sealed: a response that verify rejects stores nothing, and its tokens are revoked at the OP', async () => {
    issue({ id_token: ALICE });
    const { proxy, store } = vault(null, { mode: 'sealed' });
    const verify = (): void => {
      throw new Error('nonce mismatch');
    };
    await expect(proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), verify)).rejects.toThrow('nonce mismatch');
    expect(store.saved).toBeNull();
    expect(op.received.filter((r) => r.path === '/revoke').map(form)).toEqual([
      { token: 'rt-new-0123456789', token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: 'at-new-0123456789', token_type_hint: 'access_token', client_id: 'spa' },
    ]);
  });

  it('sealed: a renewal not kept (exchangeCode, then discard) stores nothing and revokes its tokens; one kept revokes nothing', async () => {
    issue({ id_token: ALICE });
    const { proxy, store } = vault(null, { mode: 'sealed' });
    const dropped = await proxy.exchangeCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), null);
    await dropped.discard();
    expect(store.saved).toBeNull();
    expect(op.received.filter((r) => r.path === '/revoke').map((r) => form(r).token)).toEqual(['rt-new-0123456789', 'at-new-0123456789']);
    op.received.length = 0;
    const kept = await proxy.exchangeCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), null);
    await kept.keep();
    expect(store.saved?.accessToken).toBe('at-new-0123456789');
    expect(op.received.filter((r) => r.path === '/revoke')).toEqual([]);
  });

  it('sealed: a code the OP refuses is TV_SIGN_IN_FAILED, nothing stored', async () => {
    op.answer.set('/token', () => ({ status: 400, body: { error: 'invalid_grant' } }));
    const { proxy, store } = vault(null, { mode: 'sealed' });
    expect(await failure(proxy.redeemCode(new URLSearchParams({ code: 'c' }), () => {}))).toBe('TV_SIGN_IN_FAILED');
    expect(store.saved).toBeNull();
  });

  it('sealed: a token answer that is not JSON is TV_SIGN_IN_FAILED, nothing stored', async () => {
    op.answer.set('/token', () => ({ status: 200, body: '<html>' }));
    const { proxy, store } = vault(null, { mode: 'sealed' });
    expect(await failure(proxy.redeemCode(new URLSearchParams({ code: 'c' }), () => {}))).toBe('TV_SIGN_IN_FAILED');
    expect(store.saved).toBeNull();
  });

  it("sealed: the app's own code grant is TV_SEALED_MODE, nothing sent", async () => {
    const { proxy } = vault(null, { mode: 'sealed' });
    expect(await failure(proxy.handleFetch(codeGrant()))).toBe('TV_SEALED_MODE');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('a grant other than authorization_code and refresh_token is TV_UNSUPPORTED_GRANT, nothing sent', async () => {
    const { proxy } = vault(held());
    expect(await failure(proxy.handleFetch(post('/token', { grant_type: 'password', username: 'u', password: 'p' })))).toBe('TV_UNSUPPORTED_GRANT');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('a token answer with no access_token is TV_INVALID_TOKEN_RESPONSE, nothing stored', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { token_type: 'Bearer' } }));
    const { proxy, store } = vault();
    expect(await failure(proxy.handleFetch(codeGrant()))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(store.saved).toBeNull();
  });
});

describe('TokenLifecycle: refreshing', () => {
  it('refreshes an expiring token before a protected request, and the API gets the new one', async () => {
    issue();
    apiAnswers(200);
    const { proxy, store } = vault(held({ expiresAt: Date.now() + 5_000 }));
    expect((await proxy.handleFetch(apiGet())).status).toBe(200);
    expect(tokenPosts().map(form)).toEqual([{ grant_type: 'refresh_token', refresh_token: 'rt-held-0123456789', client_id: 'spa' }]);
    expect(apiCalls()[0]?.headers.authorization).toBe('Bearer at-new-0123456789');
    expect(store.saved).toMatchObject({ accessToken: 'at-new-0123456789', refreshToken: 'rt-new-0123456789' });
  });

  it('does not refresh a token that is still valid', async () => {
    apiAnswers(200);
    const { proxy } = vault(held());
    expect((await proxy.handleFetch(apiGet())).status).toBe(200);
    expect(tokenPosts()).toHaveLength(0);
    expect(apiCalls()[0]?.headers.authorization).toBe('Bearer at-held-0123456789');
  });

  it('refresh(used) with the token in use refreshes on demand, though it has not expired', async () => {
    issue();
    const { proxy } = vault(held());
    expect((await proxy.refresh('at-held-0123456789')).accessToken).toBe('at-new-0123456789');
    expect(tokenPosts()).toHaveLength(1);
  });

  it('refresh(used) with a token already replaced (another request or tab refreshed) returns the stored set, asking nothing', async () => {
    const { proxy } = vault(held());
    expect((await proxy.refresh('at-older')).accessToken).toBe('at-held-0123456789');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('sealed mode: the end-session URL names the client, never the ID token (the app navigates to it)', async () => {
    op.answer.set('/revoke', () => ({ status: 200, body: {} }));
    const { proxy } = vault(held(), { mode: 'sealed', clientId: 'sealed-spa' });
    const url = new URL(defined((await proxy.logout('https://app.example.com/')).endSessionUrl));
    expect(url.searchParams.get('id_token_hint')).toBeNull();
    expect(url.searchParams.get('client_id')).toBe('sealed-spa');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://app.example.com/');
    expect(url.href).not.toContain(ALICE.split('.')[1]);
  });

  it('reads storage again before deciding: the memory copy may be stale', async () => {
    const { proxy, store } = vault(held());
    await proxy.status();
    store.saved = held({ accessToken: 'at-from-another-tab' });
    expect((await proxy.refresh('at-held-0123456789')).accessToken).toBe('at-from-another-tab');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('sealed mode: a refresh grant through the vault gives the app no signed ID token (refused, or redacted)', async () => {
    issue({ id_token: ALICE });
    const { proxy } = vault(held(), { mode: 'sealed' });
    const answer = await proxy.handleFetch(refreshGrant()).then(
      (response) => response.text(),
      (err: unknown) => String(err),
    );
    expect(answer).not.toContain(ALICE.split('.')[1]);
  });

  it('drop-in mode: the refresh answer keeps the ID token for the app’s OIDC library', async () => {
    issue({ id_token: ALICE });
    const { proxy } = vault(held());
    expect(JSON.parse(await (await proxy.handleFetch(refreshGrant())).text())).toMatchObject({ id_token: ALICE, access_token: REDACTED });
  });

  it('keeps the refresh and ID tokens that the refresh answer does not replace', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-new-0123456789', token_type: 'Bearer', expires_in: 600 } }));
    const { proxy, store } = vault(held());
    await proxy.refresh('at-held-0123456789');
    expect(store.saved).toMatchObject({ accessToken: 'at-new-0123456789', refreshToken: 'rt-held-0123456789', idToken: ALICE, scope: 'openid api' });
  });

  it('on an API 401, refreshes once and retries; a second 401 is the API’s answer', async () => {
    issue();
    apiAnswers(401, 401);
    const { proxy } = vault(held());
    expect((await proxy.handleFetch(apiGet())).status).toBe(401);
    expect(tokenPosts()).toHaveLength(1);
    expect(apiCalls().map((r) => r.headers.authorization)).toEqual(['Bearer at-held-0123456789', 'Bearer at-new-0123456789']);
  });

  it('concurrent refreshes of the same token are serialized: one request to the OP, one new set for all', async () => {
    issue({}, 50);
    const { proxy } = vault(held());
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => proxy.refresh('at-held-0123456789')));
    expect(tokenPosts()).toHaveLength(1);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['at-new-0123456789']));
  });

  it('concurrent protected requests with an expiring token refresh it once', async () => {
    issue({}, 50);
    apiAnswers(200);
    const { proxy } = vault(held({ expiresAt: Date.now() }));
    await Promise.all([1, 2, 3].map(() => proxy.handleFetch(apiGet())));
    expect(tokenPosts()).toHaveLength(1);
    expect(apiCalls().map((r) => r.headers.authorization)).toEqual(Array(3).fill('Bearer at-new-0123456789'));
  });

  it("the app's refresh grant gets the held refresh token in its one parameter and a redacted answer", async () => {
    issue();
    const { proxy, store } = vault(held());
    const response = await proxy.handleFetch(refreshGrant());
    expect(await response.json()).toMatchObject({ access_token: REDACTED, refresh_token: REDACTED });
    expect(form(tokenPosts()[0]).refresh_token).toBe('rt-held-0123456789');
    expect(store.saved?.accessToken).toBe('at-new-0123456789');
  });

  it("the app's refresh grant with a refresh token of its own is TV_INVALID_REQUEST, nothing sent", async () => {
    const { proxy } = vault(held());
    expect(await failure(proxy.handleFetch(refreshGrant('rt-the-app-made-up')))).toBe('TV_INVALID_REQUEST');
    expect(tokenPosts()).toHaveLength(0);
  });

  it("the app's refresh grant with no refresh token held is TV_NOT_SIGNED_IN, nothing sent", async () => {
    const { proxy } = vault(held({ refreshToken: null }));
    expect(await failure(proxy.handleFetch(refreshGrant()))).toBe('TV_NOT_SIGNED_IN');
    expect(tokenPosts()).toHaveLength(0);
  });
});

describe('TokenLifecycle: a narrower token set never replaces a wider one', () => {
  it('a code exchange for the same user with fewer scopes (a session-status query) leaves the stored set', async () => {
    issue({ scope: 'openid', id_token: ALICE, access_token: 'at-narrow-0123456789' });
    const { proxy, store } = vault(held());
    const response = await proxy.handleFetch(codeGrant());
    expect(await response.json()).toMatchObject({ access_token: REDACTED, scope: 'openid' });
    expect(store.saved).toMatchObject({ accessToken: 'at-held-0123456789', scope: 'openid api' });
  });

  it('a code exchange for another user replaces it', async () => {
    issue({ scope: 'openid', id_token: idTokenFor('bob') });
    const { proxy, store } = vault(held());
    await proxy.handleFetch(codeGrant());
    expect(store.saved).toMatchObject({ accessToken: 'at-new-0123456789', scope: 'openid' });
  });

  it('a code exchange for the same user answered without scope (scope=openid requested, RFC 6749 §5.1) leaves the stored set', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-narrow-0123456789', token_type: 'Bearer', expires_in: 600, id_token: ALICE } }));
    const { proxy, store } = vault(held());
    expect((await proxy.handleFetch(codeGrant())).status).toBe(200);
    expect(store.saved).toMatchObject({ accessToken: 'at-held-0123456789', scope: 'openid api' });
  });

  it('a refresh grant narrowed by scope=openid and answered without scope counts as openid: the wider access token stays', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-narrow-0123456789', refresh_token: 'rt-new-0123456789', token_type: 'Bearer', expires_in: 600 } }));
    const { proxy, store } = vault(held());
    await proxy.handleFetch(post('/token', { grant_type: 'refresh_token', refresh_token: REDACTED, scope: 'openid' }));
    expect(store.saved).toMatchObject({ accessToken: 'at-held-0123456789', scope: 'openid api', refreshToken: 'rt-new-0123456789' });
  });

  it('sealed: a sign-in that asked for scope=openid, answered without scope, for the same user leaves the wider set', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-narrow-0123456789', token_type: 'Bearer', expires_in: 600, id_token: ALICE } }));
    const { proxy, store } = vault(held(), { mode: 'sealed' });
    await proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), () => {}, 'renewed', null, 'openid');
    expect(store.saved).toMatchObject({ accessToken: 'at-held-0123456789', scope: 'openid api' });
  });

  it('sealed: a narrower sign-in of the same user with scope in the answer leaves the wider set; one of the same width replaces it', async () => {
    issue({ scope: 'openid', id_token: ALICE, access_token: 'at-narrow-0123456789' });
    const { proxy, store } = vault(held(), { mode: 'sealed' });
    await proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), () => {}, 'renewed', null, 'openid');
    expect(store.saved?.accessToken).toBe('at-held-0123456789');
    issue({ id_token: ALICE });
    await proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), () => {}, 'renewed', null, 'openid api');
    expect(store.saved).toMatchObject({ accessToken: 'at-new-0123456789', scope: 'openid api' });
  });

  it('sealed: another user answered without scope replaces the set', async () => {
    op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-bob-0123456789', token_type: 'Bearer', expires_in: 600, id_token: idTokenFor('bob') } }));
    const { proxy, store } = vault(held(), { mode: 'sealed' });
    await proxy.redeemCode(new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }), () => {}, 'signed-in', null, 'openid');
    expect(store.saved).toMatchObject({ accessToken: 'at-bob-0123456789', scope: 'openid' });
  });

  it('a narrowing refresh keeps the wider access token and takes the rotated refresh token', async () => {
    issue({ scope: 'openid' });
    const { proxy, store } = vault(held());
    await proxy.handleFetch(post('/token', { grant_type: 'refresh_token', refresh_token: REDACTED, scope: 'openid' }));
    expect(store.saved).toMatchObject({ accessToken: 'at-held-0123456789', scope: 'openid api', refreshToken: 'rt-new-0123456789' });
  });
});

describe('TokenLifecycle: signing out', () => {
  it('logout clears the store, reports the revocation, and tells the pages signed-out', async () => {
    op.answer.set('/revoke', () => ({ status: 200, body: {} }));
    const { proxy, store, events } = vault(held());
    const result = await proxy.logout('https://app.example.com/');
    expect(result).toMatchObject({
      revocation: 'revoked',
      storageCleared: true,
      revocations: [
        { token: 'refresh_token', status: 200 },
        { token: 'access_token', status: 200 },
      ],
    });
    expect(new URL(defined(result.endSessionUrl)).searchParams.get('id_token_hint')).toBe(ALICE);
    expect(store.saved).toBeNull();
    expect(events).toContainEqual({ event: 'signed-out', reason: 'logout' });
    expect(await proxy.status()).toEqual({ signedIn: false, expiresAt: null, apis: [] });
  });

  it.each([400, 401])('a refresh the OP refuses (%i) is TV_REFRESH_FAILED and signs out', async (status) => {
    op.answer.set('/token', () => ({ status, body: { error: 'invalid_grant' } }));
    const { proxy, store, events } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_REFRESH_FAILED');
    expect(store.saved).toBeNull();
    expect(events).toContainEqual({ event: 'signed-out', reason: 'refresh-failed' });
  });

  it('an expiring token with no refresh token is TV_REFRESH_FAILED and signs out, asking nothing', async () => {
    const { proxy, store, events } = vault(held({ refreshToken: null, expiresAt: Date.now() }));
    expect(await failure(proxy.handleFetch(apiGet()))).toBe('TV_REFRESH_FAILED');
    expect(store.saved).toBeNull();
    expect(events).toContainEqual({ event: 'signed-out', reason: 'refresh-failed' });
    expect(op.received.filter((r) => r.path !== '/.well-known/openid-configuration')).toHaveLength(0);
  });

  it("the app's refresh grant the OP refuses signs out, and the app gets the OP's error without the token", async () => {
    op.answer.set('/token', (r) => ({ status: 400, body: { error: 'invalid_grant', error_description: `bad ${form(r).refresh_token}` } }));
    const { proxy, store } = vault(held());
    const response = await proxy.handleFetch(refreshGrant());
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('rt-held-0123456789');
    expect(store.saved).toBeNull();
  });

  it('a refresh the OP cannot answer (503) is TV_UPSTREAM_UNREACHABLE and keeps the tokens', async () => {
    op.answer.set('/token', () => ({ status: 503, body: {} }));
    const { proxy, store } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_UPSTREAM_UNREACHABLE');
    expect(store.saved?.accessToken).toBe('at-held-0123456789');
  });

  it('a refresh answer that is not JSON is TV_INVALID_TOKEN_RESPONSE and keeps the tokens', async () => {
    op.answer.set('/token', () => ({ status: 200, body: 'not json' }));
    const { proxy, store } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(store.saved?.accessToken).toBe('at-held-0123456789');
  });

  it('a refresh with nothing stored is TV_NOT_SIGNED_IN', async () => {
    const { proxy } = vault(null);
    expect(await failure(proxy.refresh('at-any'))).toBe('TV_NOT_SIGNED_IN');
    expect(tokenPosts()).toHaveLength(0);
  });

  it('a protected request with nothing stored is TV_NOT_SIGNED_IN, nothing sent', async () => {
    const { proxy } = vault(null);
    expect(await failure(proxy.handleFetch(apiGet()))).toBe('TV_NOT_SIGNED_IN');
    expect(apiCalls()).toHaveLength(0);
  });

  it('DPoP tokens whose key is gone: a refresh is TV_DPOP_KEY_LOST, signs out, and asks the OP nothing', async () => {
    const { proxy, store, events } = vault(held({ tokenType: 'DPoP' }), { rules: [{ origin: op.base, pathPrefix: '/api/', dpop: true }] });
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_DPOP_KEY_LOST');
    expect(store.saved).toBeNull();
    expect(events).toContainEqual({ event: 'signed-out', reason: 'key-lost' });
    expect(tokenPosts()).toHaveLength(0);
  });

  it('DPoP tokens with their key: a refresh is proved with it, and the key stays', async () => {
    issue({ token_type: 'DPoP' });
    const { proxy, dpop } = vault(held({ tokenType: 'DPoP' }), { rules: [{ origin: op.base, pathPrefix: '/api/', dpop: true }] });
    const key = await DpopKey.generate();
    dpop.kept = key;
    expect((await proxy.refresh('at-held-0123456789')).tokenType).toBe('DPoP');
    expect(tokenPosts()[0]?.headers.dpop).toBeTruthy();
    expect(dpop.kept).toBe(key);
  });
});

describe('TokenLifecycle: only a dead grant signs out', () => {
  const kept = (store: { saved: TokenSet | null }, events: { event: string }[]): void => {
    expect(store.saved?.refreshToken).toBe('rt-held-0123456789');
    expect(events.map((e) => e.event)).not.toContain('signed-out');
  };

  it.each([
    [400, 'invalid_request'],
    [401, 'invalid_client'],
    [400, 'unauthorized_client'],
    [400, 'invalid_scope'],
  ])("the vault's refresh refused %i %s is TV_REFRESH_REJECTED and keeps the tokens", async (status, error) => {
    op.answer.set('/token', () => ({ status, body: { error } }));
    const { proxy, store, events } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_REFRESH_REJECTED');
    kept(store, events);
  });

  it('a refresh refused 400 with a body that is no OAuth error keeps the tokens', async () => {
    op.answer.set('/token', () => ({ status: 400, body: '<html>Bad Request</html>' }));
    const { proxy, store, events } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_REFRESH_REJECTED');
    kept(store, events);
  });

  it.each([500, 502, 503])('a refresh answered %i is TV_UPSTREAM_UNREACHABLE and keeps the tokens, even with error=invalid_grant in the body', async (status) => {
    op.answer.set('/token', () => ({ status, body: { error: 'invalid_grant' } }));
    const { proxy, store, events } = vault(held());
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_UPSTREAM_UNREACHABLE');
    kept(store, events);
  });

  it('a refresh the OP does not answer in time is TV_UPSTREAM_TIMEOUT and keeps the tokens', async () => {
    // The OP answers the token request after 5 s; the vault waits 1 s (discovery, undelayed, fits in that).
    issue({}, 5000);
    const { proxy, store, events } = vault(held(), { timeouts: { upstreamMs: 1000 } });
    await proxy.metadata();
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_UPSTREAM_TIMEOUT');
    kept(store, events);
  });

  it('a refresh that meets a network error (nothing listens) is TV_UPSTREAM_UNREACHABLE and keeps the tokens', async () => {
    op.discovery.token_endpoint = 'http://127.0.0.1:9/token';
    const { proxy, store, events } = vault(held(), { opOrigins: ['http://127.0.0.1:9'] });
    expect(await failure(proxy.refresh('at-held-0123456789'))).toBe('TV_UPSTREAM_UNREACHABLE');
    kept(store, events);
  });

  it('a protected request whose refresh is refused invalid_request answers TV_REFRESH_REJECTED and keeps the tokens', async () => {
    op.answer.set('/token', () => ({ status: 400, body: { error: 'invalid_request' } }));
    apiAnswers(200);
    const { proxy, store, events } = vault(held({ expiresAt: Date.now() }));
    expect(await failure(proxy.handleFetch(apiGet()))).toBe('TV_REFRESH_REJECTED');
    kept(store, events);
  });

  it("the app's malformed refresh grant (no client_id) refused invalid_request: the app gets the OP's error, the tokens stay", async () => {
    op.answer.set('/token', (r) => ({
      status: 400,
      body: form(r).client_id ? {} : { error: 'invalid_request', error_description: 'no client authentication mechanism provided' },
    }));
    const { proxy, store, events } = vault(held());
    const response = await proxy.handleFetch(post('/token', { grant_type: 'refresh_token', refresh_token: REDACTED }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'no client authentication mechanism provided' });
    kept(store, events);
    expect((await proxy.status()).signedIn).toBe(true);
  });

  it.each([
    [401, 'invalid_client'],
    [503, 'temporarily_unavailable'],
  ])("the app's refresh grant answered %i %s keeps the tokens", async (status, error) => {
    op.answer.set('/token', () => ({ status, body: { error } }));
    const { proxy, store, events } = vault(held());
    expect((await proxy.handleFetch(refreshGrant())).status).toBe(status);
    kept(store, events);
  });

  it("sealed: the app's refresh grant is TV_SEALED_MODE, nothing sent, the tokens stay", async () => {
    const { proxy, store, events } = vault(held(), { mode: 'sealed' });
    expect(await failure(proxy.handleFetch(refreshGrant()))).toBe('TV_SEALED_MODE');
    expect(await failure(proxy.handleFetch(post('/token', { grant_type: 'refresh_token', refresh_token: REDACTED })))).toBe('TV_SEALED_MODE');
    expect(tokenPosts()).toHaveLength(0);
    kept(store, events);
  });
});

describe('TokenLifecycle: protected requests under load', () => {
  it('at most maxUpstreamRequests at the API at once; the rest queue, and every request gets its real answer', async () => {
    const arrivals: number[] = [];
    op.answer.set('/api/items', () => (arrivals.push(performance.now()), { status: 200, body: { ok: true }, delayMs: 100 }));
    const { proxy } = vault(held(), { maxUpstreamRequests: 3 });
    const responses = await Promise.all(Array.from({ length: 12 }, () => proxy.handleFetch(apiGet())));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(apiCalls()).toHaveLength(12);
    // The 4th request can leave only after one of the first 3 got its answer (held 100 ms by the API):
    // any 4 arrivals in a row span at least that long. (A lower bound: load can only widen it.)
    arrivals.sort((a, b) => a - b);
    for (let i = 3; i < arrivals.length; i++) expect((arrivals[i] ?? 0) - (arrivals[i - 3] ?? 0)).toBeGreaterThanOrEqual(95);
  });
});

describe('TokenLifecycle: other tabs', () => {
  it("another tab's change drops this tab's memory copy; its sign-out signs this tab out with its reason", async () => {
    const here = vault(held());
    const there = vault(held());
    await here.proxy.status();
    const readsBefore = here.store.reads;
    await there.proxy.endSession('session-ended');
    await expect.poll(() => here.events.some((e) => e.event === 'signed-out' && e.reason === 'session-ended')).toBe(true);
    await here.proxy.status();
    expect(here.store.reads).toBeGreaterThan(readsBefore);
  });

  it("a session watch's sign-out in a vault another tab emptied does nothing: no second signed-out in any tab, nothing sent", async () => {
    op.answer.set('/revoke', () => ({ status: 200, body: {} }));
    const here = vault(null);
    const there = vault(held());
    await here.proxy.endSession('session-ended');
    // The positive signal: a sign-out that did happen (there's) reaches here, and it is the only one.
    await there.proxy.endSession('user-changed');
    await expect.poll(() => here.events.filter((e) => e.event === 'signed-out')).toHaveLength(1);
    expect(here.events.filter((e) => e.event === 'signed-out')).toEqual([{ event: 'signed-out', reason: 'user-changed' }]);
    expect(there.events.filter((e) => e.event === 'signed-out')).toEqual([{ event: 'signed-out', reason: 'user-changed' }]);
    // Only there's revocations went out: its refresh token, then its access token.
    expect(op.received.filter((r) => r.path === '/revoke').map((r) => form(r).token)).toEqual([held().refreshToken, held().accessToken]);
  });

  it("the app's own logout of an empty vault still tells every tab (signed-out: logout), as before", async () => {
    const here = vault(null);
    const there = vault(null);
    await there.proxy.logout();
    await expect.poll(() => here.events).toContainEqual({ event: 'signed-out', reason: 'logout' });
  });
});
