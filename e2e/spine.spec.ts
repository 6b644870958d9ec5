import { apiCalls, appOriginDump, authorizationHash, expect, obtainCode, signIn, storedTokens, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

test.describe('the vault round trip across two origins', () => {
  test('sign-in through the real login form: the app sees REDACTED, only the proxy origin holds the tokens', async ({ page, context, devHost }) => {
    await signIn(page, devHost);

    const tokenResponse = JSON.parse(defined(await page.locator('#token-response').textContent())) as Record<string, unknown>;
    expect(tokenResponse.access_token).toBe('REDACTED');
    expect(tokenResponse.refresh_token).toBe('REDACTED');
    // The demo marks the API rule for DPoP: the OP bound the tokens to the vault's key.
    expect(tokenResponse.token_type).toMatch(/^dpop$/i);
    expect(typeof tokenResponse.id_token).toBe('string');
    expect(typeof tokenResponse.expires_in).toBe('number');

    const stored = await storedTokens(page, devHost);
    expect(stored?.accessToken).toMatch(/^eyJ/);
    expect(stored?.refreshToken).toBeTruthy();

    const dump = await appOriginDump(page, context);
    expect(dump).not.toContain(defined(stored).accessToken);
    expect(dump).not.toContain(defined(defined(stored).refreshToken));
    // The token request really went from the proxy origin, not from the app.
    // (POSTs only: the DPoP header makes the browser send a CORS preflight first.)
    const tokenRequests = devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST');
    expect(tokenRequests.map((entry) => entry.headers.origin)).toEqual([devHost.vault.origins.proxy]);
  });

  test('an API call through the worker returns data, and the API saw the stored access token (DPoP)', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await page.locator('#call-api').click();
    await expect(page.locator('#api-response')).toContainText('"status": 200');
    await expect(page.locator('#api-response')).toContainText('Hello, alice');

    const stored = await storedTokens(page, devHost);
    const calls = apiCalls(devHost, '/v1/profile');
    expect(calls).toHaveLength(1);
    expect(calls[0].authorization?.sha256).toBe(authorizationHash(`DPoP ${defined(stored).accessToken}`));
    expect(calls[0].headers.origin).toBe(devHost.vault.origins.proxy);

    // The client's own channel (no worker hop) gets the same answer.
    // (The page shows the same text as before: wait for the API to see the second call.)
    await page.locator('#call-api-channel').click();
    await expect.poll(() => apiCalls(devHost, '/v1/profile').length).toBe(2);
    await expect(page.locator('#api-response')).toContainText('Hello, alice');
  });

  test('a request outside the rules carries no Authorization header', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const { api, evil } = devHost.vault.origins;

    // Another path on the API origin: the worker does not route it, the page sends it as it is.
    await page.evaluate((url) => fetch(url).catch(() => null), `${api}/other/echo`);
    await expect.poll(() => devHost.vault.requestLog.find('api', '/other/echo').length).toBe(1);
    expect(devHost.vault.requestLog.find('api', '/other/echo')[0].authorization).toBeNull();

    // Asking the proxy itself (as script in the app could) for URLs outside its rules: refused, never sent.
    const refusals = await page.evaluate(
      async (urls) =>
        Promise.all(
          urls.map(async (url) => {
            const response = await window.demo.vault.fetch(url, { headers: { authorization: 'Bearer REDACTED' } });
            return { status: response.status, body: (await response.json()) as { error: string } };
          }),
        ),
      [`${api}/other/echo`, `${api}/v10`, `${evil}/collect`, `${api}/v1/..%2Fother/echo`],
    );
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 400]);
    expect(refusals.map((r) => r.body.error)).toEqual(['TV_URL_NOT_ALLOWED', 'TV_URL_NOT_ALLOWED', 'TV_URL_NOT_ALLOWED', 'TV_AMBIGUOUS_URL']);
    expect(devHost.vault.requestLog.find('api', '/other/echo')).toHaveLength(1);
    expect(devHost.vault.requestLog.find('api', '/v10')).toHaveLength(0);
    expect(devHost.vault.requestLog.find('evil')).toHaveLength(0);
  });

  test.describe(() => {
    // The page without its worker says so after timeouts.proxyMs: 3 s instead of 10 (a new dev host
    // costs 0.3 s; under nginx a new vite build, so the default stays there).
    test.use({ devHostOptions: async ({ servedBy }, use) => use(servedBy === 'nginx' ? {} : { timeouts: { proxyMs: 3000 } }) });

    test('a token request from the app origin that bypasses the vault cannot read a token (CORS)', async ({ browser, devHost }) => {
      const { app, op } = devHost.vault.origins;
      // No service worker at all: the page is what an app without the vault (or a bypass) would be.
      const { code, verifier, page } = await obtainCode(browser, devHost);
      // Without its worker the demo refuses to sign in on its own.
      await expect(page.locator('#status')).toHaveText('unavailable', { timeout: 20_000 });
      await expect(page.locator('#error')).toContainText('TV_NOT_CONTROLLED');

      const outcome = await page.evaluate(
        async ({ tokenEndpoint, code, verifier, redirectUri }) => {
          try {
            const response = await fetch(tokenEndpoint, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'demo', code, code_verifier: verifier, redirect_uri: redirectUri }),
            });
            return { read: await response.text() };
          } catch (err) {
            return { error: String(err) };
          }
        },
        { tokenEndpoint: `${op}/token`, code, verifier, redirectUri: `${app}/callback` },
      );
      expect(outcome.error).toMatch(/TypeError/);
      expect(outcome).not.toHaveProperty('read');
      // The request did reach the OP from the app origin; the browser withheld the answer.
      expect(devHost.vault.requestLog.find('op', '/token').map((entry) => entry.headers.origin)).toEqual([app]);
      await page.context().close();
    });
  });
});
