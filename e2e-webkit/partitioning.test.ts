import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { READ_TOKENS, authorizationHash, inProxyFrame, inTab, newTab, openApp, signIn, storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// What the README's browser support table says about storage in WebKit: the proxy frame's storage
// is partitioned by the top-level page even though the frame is same-site, and IndexedDB, Web Locks
// and BroadcastChannel are partitioned alike, so every tab of the app shares one vault.
describe('WebKit: the storage of the proxy frame', () => {
  const wk = useWebKit();

  test('is partitioned by the top-level page: the proxy origin opened on its own sees none of the tokens', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    expect((await storedTokens(wk))?.accessToken).toMatch(/^eyJ/);

    await newTab(wk);
    await driver.get(`${devHost.vault.origins.proxy}/`);
    expect(await driver.executeScript(READ_TOKENS)).toBeNull();
  });

  test('is shared by every tab of the app: the second tab is signed in, shares the lock, and hears the sign-out', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const stored = await storedTokens(wk);
    const first = await driver.getWindowHandle();

    await newTab(wk);
    await openApp(wk);
    await expect.poll(() => text(driver, '#user')).toBe('signed in (tokens in the vault)');
    await driver.findElement(By.id('call-api')).click();
    await expect.poll(() => text(driver, '#api-response')).toContain('Hello, alice');
    const calls = devHost.vault.requestLog.find('api', '/v1/profile').filter((entry) => entry.method === 'GET');
    expect(calls.map((entry) => entry.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(stored).accessToken}`)]);

    // Refreshes are serialised with a Web Lock: a lock held by the first tab's proxy is the second's too.
    await inTab(wk, first, () => inProxyFrame(wk, () => driver.executeScript("navigator.locks.request('tokenvault:test-probe', () => new Promise(() => {}))")));
    await expect
      .poll(() => inProxyFrame(wk, () => driver.executeScript<string[]>('return navigator.locks.query().then((q) => q.held.map((lock) => lock.name))')))
      .toContain('tokenvault:test-probe');

    // A sign-out in the first tab reaches the second (BroadcastChannel between the proxy frames).
    await inTab(wk, first, () => driver.findElement(By.id('sign-out')).click());
    await expect.poll(() => text(driver, '#user')).toBe('signed out');
    expect(await storedTokens(wk)).toBeNull();
  });
});
