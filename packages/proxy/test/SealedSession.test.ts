import { resolveProxyConfig } from '@tokenvault/config';
import type { PageSessionWatchOptions, SessionWatchEvents } from '@tokenvault/oidc';
import type { UseStore } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SealedSession } from '../src/signin/SealedSession.js';
import type { VaultProxy } from '../src/routing/VaultProxy.js';

// What SealedSession hands the OIDC core's session watch: the configuration's session check times
// (`sessionCheck`), with the defaults when it sets none. The loop itself is @tokenvault/oidc's
// (SessionWatch) and is tested there and, in a browser, by e2e/sealed-session*.spec.ts.

const watched: PageSessionWatchOptions[] = [];
const handlers: SessionWatchEvents[] = [];
vi.mock('@tokenvault/oidc', () => ({
  startSessionWatch: (options: PageSessionWatchOptions, on: SessionWatchEvents) => {
    watched.push(options);
    handlers.push(on);
    return Promise.resolve({ stop: () => {} });
  },
}));

const input = { appOrigins: ['https://app.example.com'], issuer: 'https://op.example.com', clientId: 'sealed', rules: [] };
/** The proxy frame's VaultProxy, as far as the watch's start uses it, with the configuration `config`. */
const vaultProxy = (config: unknown): VaultProxy =>
  ({
    config,
    idToken: () => Promise.resolve('a.stored.id-token'),
    metadata: () => Promise.resolve({ check_session_iframe: 'https://op.example.com/session/check', authorization_endpoint: 'https://op.example.com/auth' }),
    status: () => Promise.resolve({ signedIn: true, expiresAt: null, apis: [] }),
    endSession: (reason: string) => (ended.push(reason), Promise.resolve()),
  }) as unknown as VaultProxy;
/** The reasons the watch asked the vault to sign out with (VaultProxy.endSession). */
const ended: string[] = [];
/** A session store that holds the sign-in's `session_state` (idb-keyval's `get` answers what the store answers). */
const db = (() => Promise.resolve('stored-session-state.salt')) as unknown as UseStore;

beforeEach(() => {
  watched.length = 0;
  handlers.length = 0;
  ended.length = 0;
  vi.stubGlobal('location', { origin: 'https://proxy.example.com' });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SealedSession: the session check times it hands the watch', () => {
  it('asks every 3000 ms and waits 10 000 ms when the configuration sets no times (the defaults of drop-in’s SessionMonitor)', async () => {
    await new SealedSession(vaultProxy(resolveProxyConfig(input)), () => {}, { db }).start();
    expect(watched).toHaveLength(1);
    expect(watched[0]).toMatchObject({ intervalMs: 3000, timeoutMs: 10_000, sessionState: 'stored-session-state.salt', idToken: 'a.stored.id-token' });
  });

  it('asks as often and waits as long as the configuration’s sessionCheck says', async () => {
    const config = resolveProxyConfig({ ...input, sessionCheck: { intervalMs: 45_000, timeoutMs: 2500 } });
    await new SealedSession(vaultProxy(config), () => {}, { db }).start();
    expect(watched).toHaveLength(1);
    expect(watched[0]).toMatchObject({ intervalMs: 45_000, timeoutMs: 2500 });
  });
});

describe('SealedSession: the watch’s sign-out', () => {
  it('a sign-out the watch decides ends the session with its reason (endSession: nothing when the vault is already empty)', async () => {
    await new SealedSession(vaultProxy(resolveProxyConfig(input)), () => {}, { db }).start();
    await handlers[0]?.signedOut({ reason: 'user-changed' });
    expect(ended).toEqual(['user-changed']);
  });

  it('after this tab heard a sign-out (stop()), a decision of the watch still under way signs out nothing more', async () => {
    const session = new SealedSession(vaultProxy(resolveProxyConfig(input)), () => {}, { db });
    await session.start();
    await session.stop();
    await handlers[0]?.signedOut({ reason: 'session-ended' });
    expect(handlers).toHaveLength(1);
    expect(ended).toEqual([]);
  });
});
