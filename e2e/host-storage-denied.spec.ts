import { appFrame, expect, test } from './fixtures.js';

// A browser that denies the embedded app any storage: Chromium as Playwright launches it by default
// (third-party storage partitioning turned off), like a user who blocks all cookies for the site.
// Service workers and Web Storage both throw there. The app must get a typed error, not a DOMException
// from the client's own bookkeeping, and nothing may be sent with a credential.
test.describe('the app embedded by another site, with its storage denied', () => {
  test('ready fails with TV_NOT_CONTROLLED, and no request carries a credential', async ({ page, devHost, browserName }) => {
    test.skip(browserName !== 'chromium', 'the storage-denying launch is Chromium’s (Firefox gives the frame partitioned storage)');
    await page.goto(`${devHost.vault.origins.host}/`);
    const app = await appFrame(page, devHost);
    // The precondition, measured: the frame gets no storage at all.
    expect(
      await app.evaluate(() => {
        try {
          return typeof sessionStorage.length;
        } catch (err) {
          return (err as DOMException).name;
        }
      }),
    ).toBe('SecurityError');

    await expect(app.locator('#status')).toHaveText('unavailable');
    await expect(app.locator('#error')).toContainText('TV_NOT_CONTROLLED');
    // The client did not reload the frame to get control: it could not have remembered doing so.
    expect(await app.evaluate(() => performance.getEntriesByType('navigation').map((entry) => (entry as PerformanceNavigationTiming).type))).toEqual(['navigate']);
    expect(devHost.vault.requestLog.entries.filter((entry) => entry.authorization && entry.origin !== 'host')).toEqual([]);
  });
});
