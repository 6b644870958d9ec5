import { VaultError, type ProxyPort } from '@tokenvault/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accountCalls } from '../src/accountCalls.js';

// The popup sign-in of the account chunk, which createVault loads with import(): the window opens
// in the caller's task, or is the one createVault opened while the chunk loaded.

function fakeWindow(): Window & { closeCalls: number } {
  const popup = { closed: false, closeCalls: 0, close: () => void (popup.closeCalls += 1) };
  return popup as unknown as Window & { closeCalls: number };
}

function calls() {
  const request = vi.fn(() => new Promise<never>(() => {}));
  const port = { request } as unknown as ProxyPort;
  return { request, calls: accountCalls({ ready: Promise.resolve(), port, proxyOrigin: 'https://proxy.example', leaving: { now: false } }) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('accountCalls: signIn with the popup flow', () => {
  it('opens its window synchronously, in the caller’s task, when createVault gave it none', () => {
    const popup = fakeWindow();
    const open = vi.fn(() => popup);
    vi.stubGlobal('window', { open });
    void calls().calls.signIn({ flow: 'popup', timeoutMs: 1000 });
    expect(open).toHaveBeenCalledWith('https://proxy.example/signin?popup', 'tokenvault-sign-in', 'popup,width=480,height=640');
  });

  it('takes the window createVault opened before the chunk was in, and opens none of its own', async () => {
    const popup = fakeWindow();
    const open = vi.fn();
    vi.stubGlobal('window', { open });
    const { calls: account, request } = calls();
    void account.signIn({ flow: 'popup', timeoutMs: 1000 }, popup);
    expect(open).not.toHaveBeenCalled();
    await vi.waitFor(() => {
      expect(request).toHaveBeenCalledWith({ type: 'sign-in' });
    });
    expect(popup.closeCalls).toBe(0);
  });

  it('closes that window again when the options are invalid, and rejects with TV_INVALID_ARGUMENT', async () => {
    const popup = fakeWindow();
    vi.stubGlobal('window', { open: vi.fn() });
    const { calls: account, request } = calls();
    const error: unknown = await account.signIn({ flow: 'popup', timeoutMs: 5 }, popup).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'TV_INVALID_ARGUMENT' });
    expect(popup.closeCalls).toBe(1);
    expect(request).not.toHaveBeenCalled();
  });

  it('rejects with TV_SIGN_IN_CANCELLED when the browser blocked the window createVault tried to open', async () => {
    vi.stubGlobal('window', { open: vi.fn() });
    await expect(calls().calls.signIn({ flow: 'popup' }, null)).rejects.toMatchObject({ code: 'TV_SIGN_IN_CANCELLED' });
  });
});

describe('accountCalls: close() while a popup sign-in waits', () => {
  it('closes the sign-in window and rejects at once with TV_SIGN_IN_CANCELLED (vaultClosed), not at the time limit', async () => {
    const popup = fakeWindow();
    vi.stubGlobal('window', { open: vi.fn(() => popup) });
    const { calls: account, request } = calls();
    const pending = account.signIn({ flow: 'popup', timeoutMs: 600_000 }).catch((err: unknown) => err);
    await vi.waitFor(() => {
      expect(request).toHaveBeenCalledWith({ type: 'sign-in' });
    });
    account.close();
    const error = await pending;
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'TV_SIGN_IN_CANCELLED', message: expect.stringContaining('vault.close()') as unknown });
    expect(popup.closeCalls).toBe(1);
  });

  it('settles nothing and closes no window when no sign-in waits', () => {
    const popup = fakeWindow();
    vi.stubGlobal('window', { open: vi.fn(() => popup) });
    const { calls: account } = calls();
    account.close();
    expect(popup.closeCalls).toBe(0);
  });
});
