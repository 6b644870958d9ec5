import { NEEDS_CDP, apiCalls, authorizationHash, devTools, expect, obtainCode, pageFetch, signIn, storedTokens, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// These drive Chromium through the DevTools protocol (stop the worker, reload bypassing it).
test.describe('service worker restarts and hard reloads', { tag: NEEDS_CDP }, () => {
  test('the worker stopped mid-session: the next protected request re-establishes the channel', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const cdp = await devTools(page);
    const stopped = new Promise<void>((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((version) => version.runningStatus === 'stopped')) resolve();
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;

    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
    const stored = await storedTokens(page, devHost);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(stored).accessToken}`)]);
  });

  test('a hard reload leaves the page uncontrolled: the client claims it and the vault works again', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const cdp = await devTools(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await expect(page.locator('#events')).toContainText('control: claim');
    await expect(page.locator('#status')).toHaveText('ready');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });

  test('a token request made the moment a hard reload starts never reads an unredacted token', async ({ browser, page, devHost }) => {
    const { app, op, proxy } = devHost.vault.origins;
    await signIn(page, devHost);
    // A real, unredeemed code and its verifier, as script in the app origin could obtain.
    const { code, verifier, page: other } = await obtainCode(browser, devHost);
    await other.context().close();
    const form = { grant_type: 'authorization_code', client_id: 'demo', code, code_verifier: verifier, redirect_uri: `${app}/callback` };
    // Runs before any script of the reloaded page: uncontrolled, or just claimed.
    await page.addInitScript(
      ({ url, form }) => {
        (window as unknown as { attempt: Promise<string> }).attempt = fetch(url, { method: 'POST', body: new URLSearchParams(form) })
          .then((response) => response.text())
          .catch((err: unknown) => `blocked: ${String(err)}`);
      },
      { url: `${op}/token`, form },
    );
    const cdp = await devTools(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await expect(page.locator('#status')).toHaveText('ready');

    const attempt = await page.evaluate(() => (window as unknown as { attempt: Promise<string> }).attempt);
    // Either the browser withheld the OP's answer (CORS: the page was not controlled yet), or the
    // vault redeemed the code and answered it redacted. Never a token.
    if (attempt.startsWith('blocked')) {
      expect(attempt).toContain('TypeError');
    } else {
      expect(JSON.parse(attempt)).toMatchObject({ access_token: 'REDACTED', refresh_token: 'REDACTED' });
    }
    const redemption = devHost.vault.requestLog
      .find('op', '/token')
      .filter((entry) => entry.method === 'POST')
      .at(-1);
    expect([app, proxy]).toContain(redemption?.headers.origin);
    const stored = await storedTokens(page, devHost);
    expect(attempt).not.toContain(defined(stored).accessToken);
    expect(attempt).not.toMatch(/"access_token":"eyJ/);
  });
});
