import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { outsideApiRequest, outsideProof } from '../e2e/outsideBrowser.js';
import { apiCalls, signIn, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/dpop-leaked-log.spec.ts in WebKitGTK: the API's log keeps raw credentials (test-only option).
describe('WebKit: DPoP, a token from the API request log', () => {
  const wk = useWebKit({ leakyRequestLog: true });

  test('an access token copied out of the API request log cannot be used by a script outside the browser', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    await driver.findElement(By.id('call-api')).click();
    await expect.poll(() => text(driver, '#api-response')).toContain('Hello, alice');

    const logged = defined(apiCalls(devHost, '/v1/profile')[0].raw);
    expect(logged.authorization).toMatch(/^DPoP eyJ/);
    const accessToken = defined(logged.authorization).slice('DPoP '.length);
    const url = `${devHost.vault.origins.api}/v1/profile`;
    const statuses = [
      (await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${accessToken}` })).status,
      (await outsideApiRequest(devHost, '/v1/profile', { authorization: defined(logged.authorization), dpop: await outsideProof(url, accessToken) })).status,
      (await outsideApiRequest(devHost, '/v1/profile', { authorization: defined(logged.authorization), dpop: defined(logged.dpop) })).status,
    ];
    expect(statuses).toEqual([401, 401, 401]);
  });
});
