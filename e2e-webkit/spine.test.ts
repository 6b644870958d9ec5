import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { appOriginDump, authorizationHash, signIn, storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// The spine round trip (e2e/spine.spec.ts) in WebKitGTK, checked against what the dev host received.
describe('WebKit: the vault round trip across two origins', () => {
  const wk = useWebKit();

  test('sign-in through the real login form: the app sees REDACTED, only the proxy origin holds the tokens', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);

    const tokenResponse = JSON.parse(defined(await text(driver, '#token-response'))) as Record<string, unknown>;
    expect(tokenResponse.access_token).toBe('REDACTED');
    expect(tokenResponse.refresh_token).toBe('REDACTED');
    // The demo marks the API rule for DPoP: the OP bound the tokens to the vault's key.
    expect(tokenResponse.token_type).toMatch(/^dpop$/i);
    expect(typeof tokenResponse.id_token).toBe('string');

    const stored = await storedTokens(wk);
    expect(stored?.accessToken).toMatch(/^eyJ/);
    expect(stored?.refreshToken).toBeTruthy();

    const dump = await appOriginDump(driver);
    expect(dump).not.toContain(defined(stored).accessToken);
    expect(dump).not.toContain(defined(defined(stored).refreshToken));
    // (POSTs only: the DPoP header makes the browser send a CORS preflight first.)
    const tokenRequests = devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST');
    expect(tokenRequests.map((entry) => entry.headers.origin)).toEqual([devHost.vault.origins.proxy]);
  });

  test('an API call through the worker returns data, and the API saw the stored access token (DPoP)', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    await driver.findElement(By.id('call-api')).click();
    await expect.poll(() => text(driver, '#api-response')).toContain('Hello, alice');
    expect(await text(driver, '#api-response')).toContain('"status": 200');

    const stored = await storedTokens(wk);
    const calls = devHost.vault.requestLog.find('api', '/v1/profile').filter((entry) => entry.method === 'GET');
    expect(calls).toHaveLength(1);
    expect(calls[0].authorization?.sha256).toBe(authorizationHash(`DPoP ${defined(stored).accessToken}`));
    expect(calls[0].headers.origin).toBe(devHost.vault.origins.proxy);

    // The client's own channel (no worker hop) gets the same answer.
    await driver.executeScript("document.getElementById('api-response').textContent = ''");
    await driver.findElement(By.id('call-api-channel')).click();
    await expect.poll(() => text(driver, '#api-response')).toContain('Hello, alice');
    expect(devHost.vault.requestLog.find('api', '/v1/profile').filter((entry) => entry.method === 'GET')).toHaveLength(2);
  });

  test('a request outside the rules carries no Authorization header', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const { api, evil } = devHost.vault.origins;

    await driver.executeScript('return fetch(arguments[0]).then(() => null, () => null)', `${api}/other/echo`);
    await expect.poll(() => devHost.vault.requestLog.find('api', '/other/echo').length).toBe(1);
    expect(devHost.vault.requestLog.find('api', '/other/echo')[0].authorization).toBeNull();

    const refusals = await driver.executeScript<{ status: number; error: string }[]>(
      `return Promise.all(arguments[0].map(async (url) => {
         const response = await window.demo.vault.fetch(url, { headers: { authorization: 'Bearer REDACTED' } });
         return { status: response.status, error: (await response.json()).error };
       }))`,
      [`${api}/other/echo`, `${api}/v10`, `${evil}/collect`, `${api}/v1/..%2Fother/echo`],
    );
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 400]);
    expect(refusals.map((r) => r.error)).toEqual(['TV_URL_NOT_ALLOWED', 'TV_URL_NOT_ALLOWED', 'TV_URL_NOT_ALLOWED', 'TV_AMBIGUOUS_URL']);
    expect(devHost.vault.requestLog.find('api', '/other/echo')).toHaveLength(1);
    expect(devHost.vault.requestLog.find('api', '/v10')).toHaveLength(0);
    expect(devHost.vault.requestLog.find('evil')).toHaveLength(0);
  });
});
