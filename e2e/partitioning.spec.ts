import type { Page } from '@playwright/test';
import { authorizationHash, expect, openApp, proxyFrame, readTokensInPage, signIn, storedTokens, test, type StoredTokens } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

/** Reads the token record from the IndexedDB of whatever context `page` is (here: the proxy origin opened on its own). */
function tokensAtTopLevel(page: Page): Promise<StoredTokens | null> {
  return page.evaluate(readTokensInPage);
}

// What the README's browser support table says about storage, in Chromium and Firefox. The WebKit
// counterpart is e2e-webkit/partitioning.test.ts.
test.describe('the storage of the proxy frame', () => {
  test('is the proxy origin’s own: the same-site frame is not partitioned by the app', async ({ page, context, devHost }) => {
    await signIn(page, devHost);
    const inFrame = await storedTokens(page, devHost);
    expect(inFrame?.accessToken).toMatch(/^eyJ/);

    const proxyTopLevel = await context.newPage();
    await proxyTopLevel.goto(`${devHost.vault.origins.proxy}/`);
    expect(await tokensAtTopLevel(proxyTopLevel)).toEqual(inFrame);
  });

  test('is shared by every tab of the app: the second tab is signed in, shares the lock, and hears the sign-out', async ({ page, context, devHost }) => {
    await signIn(page, devHost);
    const stored = await storedTokens(page, devHost);

    const second = await context.newPage();
    await openApp(second, devHost);
    await expect(second.locator('#user')).toHaveText('signed in (tokens in the vault)');
    await second.locator('#call-api').click();
    await expect(second.locator('#api-response')).toContainText('Hello, alice');
    const calls = devHost.vault.requestLog.find('api', '/v1/profile').filter((entry) => entry.method === 'GET');
    expect(calls.map((entry) => entry.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(stored).accessToken}`)]);

    // Refreshes are serialised with a Web Lock: a lock held by the first tab's proxy is the second's too.
    await proxyFrame(page, devHost).evaluate(() => void navigator.locks.request('tokenvault:test-probe', () => new Promise<never>(() => {})));
    await expect.poll(() => proxyFrame(second, devHost).evaluate(async () => (await navigator.locks.query()).held?.map((lock) => lock.name))).toContain('tokenvault:test-probe');

    // A sign-out in the first tab reaches the second (BroadcastChannel between the proxy frames).
    await page.locator('#sign-out').click();
    await expect(second.locator('#user')).toHaveText('signed out');
    expect(await storedTokens(second, devHost)).toBeNull();
  });
});
