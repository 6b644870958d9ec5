import { expect } from './fixtures.js';
import { callHostApi, hostApiCalls, openHost, test } from './hostPage.js';

// A dev host whose demo waits only 1.5 s for the host (a worker of its own: another dev host).
test.use({ devHostOptions: { hostSessionTimeoutMs: 1500 } });

test.describe('the host session handoff, when the host does not answer', () => {
  test('the timeout gives TV_HOST_SESSION_TIMEOUT, and a late answer changes nothing', async ({ page, devHost }) => {
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('TV_HOST_SESSION_TIMEOUT');
    await expect(app.locator('#error')).toContainText(`TV_HOST_SESSION_TIMEOUT: No session_id from ${devHost.vault.origins.host} within 1500 ms`);
    await page.evaluate(() => window.host.release());
    await expect(page.locator('#log')).toContainText('handed it the session ID');
    // The vault holds no session ID: the proxy refuses to call the host API without one.
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"status": 401');
    await expect(app.locator('#api-response')).toContainText('TV_NO_HOST_SESSION');
    expect(hostApiCalls(devHost)).toHaveLength(0);
  });
});
