import { ENGINE_NEUTRAL, expect, openApp, storedTokens, test } from './fixtures.js';
import { vaultEvents } from './sealedFixtures.js';

// Sealed mode: the redirect sign-in's one-time ticket lives two minutes (TICKET_TTL_MS). A /signin
// URL that leaked (a history entry, a log) and is opened later starts nothing, even from the app's
// own site, where the server lets the navigation through: the page finds the ticket expired.
test.use({ devHostOptions: { demo: 'sealed' } });

test.describe('the sign-in ticket', () => {
  test(
    'a /signin URL opened after its ticket expired (two minutes) starts nothing: TV_SIGN_IN_NOT_STARTED, the OP asked nothing',
    { tag: ENGINE_NEUTRAL },
    async ({ page, devHost }) => {
      const { proxy } = devHost.vault.origins;
      await openApp(page, devHost);
      // The demo's Sign in: the vault mints a ticket and sends the tab to /signin?ticket=…; that page is
      // answered here by a blank one of the proxy origin, so the ticket stays unused.
      await page.route(`${proxy}/signin**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>held</title>' }));
      await page.locator('#sign-in').click();
      await page.waitForURL(`${proxy}/signin?**`);
      await page.unroute(`${proxy}/signin**`);
      const start = page.url();
      expect([...new URL(start).searchParams.keys()]).toEqual(['ticket']);

      // Three minutes pass: the ticket in the proxy origin's IndexedDB is aged (the frame that minted it
      // shares that store with top-level pages of the proxy origin in Chromium and Firefox).
      const aged = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('tokenvault-sign-in');
            open.onerror = () => {
              reject(new Error('cannot open the ticket store'));
            };
            open.onsuccess = () => {
              const store = open.result.transaction('tickets', 'readwrite').objectStore('tickets');
              let count = 0;
              const cursor = store.openCursor();
              cursor.onsuccess = () => {
                const at = cursor.result;
                if (!at) {
                  resolve(count);
                  return;
                }
                const ticket = at.value as { expiresAt: number };
                at.update({ ...ticket, expiresAt: ticket.expiresAt - 3 * 60_000 });
                count += 1;
                at.continue();
              };
            };
          }),
      );
      expect(aged).toBe(1);

      // The same URL, opened later from the app's site (same-site: the server serves the page).
      await openApp(page, devHost);
      devHost.vault.requestLog.clear();
      await Promise.all([
        page.waitForRequest((request) => request.url().includes('tokenvault_error=TV_SIGN_IN_NOT_STARTED')),
        page.evaluate((to) => {
          location.assign(to);
        }, start),
      ]);
      await expect.poll(() => vaultEvents(page).catch(() => [])).toContain('error: TV_SIGN_IN_NOT_STARTED');
      expect(devHost.vault.requestLog.find('op', '/auth')).toHaveLength(0);
      expect(await storedTokens(page, devHost)).toBeNull();
    },
  );
});
