import { PROTOCOL_VERSION, isFlowId } from '@tokenvault/protocol';
import { resolveProxyConfig } from '@tokenvault/config';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PopupSignIn } from '../src/signin/PopupSignIn.js';
import type { TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import type { VaultEvent, VaultEventDetail } from '../src/shared/VaultEvent.js';
import { MemoryStore, useTestOp } from './helpers.js';

// The popup sign-in's flows, in the proxy frame: each sign-in gets a flow id, and its outcome (the
// tokens kept, or its typed error) names it; nothing else does. A real VaultProxy against a real
// HTTP server in Node playing the OP; the frame's window is a stand-in that delivers the messages a
// sign-in window of the proxy origin posts.

const PROXY = 'https://proxy.example.com';
const op = await useTestOp();
let deliver: (event: object) => void;
let events: { name: VaultEvent; detail?: VaultEventDetail }[];
let store: MemoryStore;
let popup: PopupSignIn;

beforeEach(() => {
  op.discovery.authorization_endpoint = `${op.base}/authorize`;
  events = [];
  vi.stubGlobal('location', { origin: PROXY });
  vi.stubGlobal('document', { cookie: '' });
  // Each test's frame alone: no other "tab" (the earlier tests' proxies) on the proxy origin's channels.
  vi.stubGlobal(
    'BroadcastChannel',
    class {
      onmessage = null;
      postMessage(): void {}
      close(): void {}
    },
  );
  vi.stubGlobal('window', {
    parent: {},
    addEventListener: (type: string, listener: (event: object) => void) => {
      if (type === 'message') deliver = listener;
    },
  });
  const config = resolveProxyConfig({ mode: 'sealed', appOrigins: ['https://app.example.com'], issuer: op.base, clientId: 'sealed', rules: [], scope: 'openid api' });
  store = new MemoryStore();
  const proxy = new VaultProxy(config, store as unknown as TokenStore);
  proxy.onEvent = (name, detail) => {
    events.push({ name, ...(detail ? { detail } : {}) });
  };
  popup = new PopupSignIn(proxy, proxy.notify);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A sign-in window of the proxy origin asks for its authorization request; resolves with the request's state and nonce. */
async function windowAsks(): Promise<{ state: string; nonce: string }> {
  let url = '';
  deliver({
    origin: PROXY,
    source: { postMessage: (message: { url: string }) => void (url = message.url) },
    data: { v: PROTOCOL_VERSION, type: 'authorize-url-request' },
  });
  await vi.waitFor(() => {
    expect(url).not.toBe('');
  });
  const params = new URL(url).searchParams;
  return { state: params.get('state') ?? '', nonce: params.get('nonce') ?? '' };
}

/**
 * The callback in the sign-in window posts the authorization response (with the window's own
 * state, as runCallback does); resolves once the frame told the pages its outcome.
 */
async function windowAnswers(query: Record<string, string>, windowState?: string): Promise<void> {
  const before = events.length;
  deliver({
    origin: PROXY,
    source: {},
    data: { v: PROTOCOL_VERSION, type: 'authorization-response', query: new URLSearchParams(query).toString(), ...(windowState ? { windowState } : {}) },
  });
  await vi.waitFor(() => {
    expect(events.length).toBeGreaterThan(before);
  });
}

/** The OP's token endpoint answers with an ID token for `nonce`. */
function opIssues(nonce: string): void {
  const now = Math.floor(Date.now() / 1000);
  const idToken = `h.${Buffer.from(JSON.stringify({ iss: op.base, aud: 'sealed', nonce, sub: 'alice', iat: now, exp: now + 600 })).toString('base64url')}.s`;
  op.answer.set('/token', () => ({ status: 200, body: { access_token: 'at-0123456789', token_type: 'Bearer', expires_in: 600, scope: 'openid api', id_token: idToken } }));
}
/** A new sign-in of the app: its flow id, which must be one. */
function begin(): string {
  const flow = popup.begin({});
  expect(isFlowId(flow)).toBe(true);
  return flow;
}
const tokenPosts = (): number => op.received.filter((r) => r.path === '/token').length;
const errors = (): { code: string | undefined; flow: string | undefined }[] =>
  events.filter((e) => e.name === 'error').map((e) => ({ code: e.detail?.error?.code, flow: e.detail?.flow }));

describe('PopupSignIn: each sign-in is a flow, and its outcome names it', () => {
  it('begin mints a flow id (a fresh one each time); the tokens kept are its `signed-in`, naming it', async () => {
    const flow = begin();
    expect(isFlowId(flow)).toBe(true);
    const { state, nonce } = await windowAsks();
    opIssues(nonce);
    await windowAnswers({ code: 'c', state }, state);
    expect(store.saved?.accessToken).toBe('at-0123456789');
    expect(events).toEqual([{ name: 'signed-in', detail: { flow } }]);
    expect(popup.begin({})).not.toBe(flow);
  });

  it("the OP's error ends the flow with TV_SIGN_IN_FAILED, naming it", async () => {
    const flow = begin();
    const { state } = await windowAsks();
    await windowAnswers({ error: 'access_denied', state }, state);
    expect(errors()).toEqual([{ code: 'TV_SIGN_IN_FAILED', flow }]);
    expect(tokenPosts()).toBe(0);
  });

  it('an ID token that fails its check ends the flow with TV_SIGN_IN_FAILED, naming it; nothing is stored', async () => {
    const flow = begin();
    const { state } = await windowAsks();
    opIssues('another-nonce');
    await windowAnswers({ code: 'c', state }, state);
    expect(errors()).toEqual([{ code: 'TV_SIGN_IN_FAILED', flow }]);
    expect(store.saved).toBeNull();
  });

  it("a response whose state is not the window's own ends the window's flow with TV_INVALID_STATE; nothing is redeemed, the state is used up", async () => {
    const flow = begin();
    const { state } = await windowAsks();
    await windowAnswers({ code: 'c', state: 'swapped-on-the-way' }, state);
    expect(errors()).toEqual([{ code: 'TV_INVALID_STATE', flow }]);
    // The window's real response, should it come after: its sign-in is over.
    await windowAnswers({ code: 'c', state }, state);
    expect(errors()[1]).toEqual({ code: 'TV_INVALID_STATE', flow: undefined });
    expect(tokenPosts()).toBe(0);
  });

  it('a response of no sign-in of this frame is an error that names no flow (it settles no signIn())', async () => {
    popup.begin({});
    await windowAsks();
    await windowAnswers({ code: 'c', state: 'not-issued-here' });
    expect(errors()).toEqual([{ code: 'TV_INVALID_STATE', flow: undefined }]);
    expect(tokenPosts()).toBe(0);
  });

  it("a second sign-in supersedes the first: the first's state is refused (naming no flow), the window gets the second's request", async () => {
    popup.begin({});
    const first = await windowAsks();
    const second = begin();
    await windowAnswers({ code: 'c', state: first.state }, first.state);
    expect(errors()).toEqual([{ code: 'TV_INVALID_STATE', flow: undefined }]);
    const { state, nonce } = await windowAsks();
    expect(state).not.toBe(first.state);
    opIssues(nonce);
    await windowAnswers({ code: 'c', state }, state);
    expect(events.at(-1)).toEqual({ name: 'signed-in', detail: { flow: second } });
    expect(tokenPosts()).toBe(1);
  });

  it('a second sign-in before the window asked: the window gets the second one’s request, never the first’s', async () => {
    popup.begin({});
    const second = begin();
    const { state, nonce } = await windowAsks();
    opIssues(nonce);
    await windowAnswers({ code: 'c', state }, state);
    expect(events).toEqual([{ name: 'signed-in', detail: { flow: second } }]);
    // No request is left for another window.
    let asked = false;
    deliver({ origin: PROXY, source: { postMessage: () => void (asked = true) }, data: { v: PROTOCOL_VERSION, type: 'authorize-url-request' } });
    expect(asked).toBe(false);
  });
});
