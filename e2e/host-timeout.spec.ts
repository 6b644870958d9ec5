import { authorizationHash, expect } from './fixtures.js';
import { callHostApi, hostApiCalls, openHost, test } from './hostPage.js';

// A dev host whose demo waits only 1.5 s for the host (a worker of its own: another dev host).
test.use({ devHostOptions: { hostSessionTimeoutMs: 1500 } });

test.describe('the host session handoff, when the host does not answer in time', () => {
  test('the wait gives TV_HOST_SESSION_TIMEOUT; until the host answers the proxy refuses the host API, then the late ID is the vault’s', async ({ page, devHost }) => {
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('TV_HOST_SESSION_TIMEOUT');
    await expect(app.locator('#error')).toContainText('TV_HOST_SESSION_TIMEOUT: No host session ID reached the vault within 1500 ms');
    // The vault holds no session ID: the proxy refuses to call the host API without one.
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"status": 401');
    await expect(app.locator('#api-response')).toContainText('TV_NO_HOST_SESSION');
    expect(hostApiCalls(devHost)).toHaveLength(0);
    // The handoff is between the host and the proxy: the app's wait does not end it. The app hears
    // of the late ID by the vault's host-session event.
    await page.evaluate(() => {
      window.host.release();
    });
    await expect(page.locator('#log')).toContainText('the vault took it');
    await expect(app.locator('#events')).toContainText('host-session');
    await app.locator('#call-host-api').dispatchEvent('click');
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });
});
