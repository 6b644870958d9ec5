import { describe, expect, test } from 'vitest';
import { apiCalls, authorizationHash, pageFetch, signIn, storedTokens, tokenRequests, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/refresh-before-expiry.spec.ts in WebKitGTK: every access token is inside the refresh window as
// soon as it is issued, so the next protected request refreshes first.
describe('WebKit: refresh before expiry', () => {
  const wk = useWebKit({ accessTokenTtl: 30, refreshSkewSeconds: 30 });

  test('a request with an expiring token refreshes first, then carries the new token', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const before = await storedTokens(wk);
    const grantsBefore = tokenRequests(devHost);

    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ message: 'Hello, alice' });

    const after = await storedTokens(wk);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    // The dev OP rotates refresh tokens: the old one is used up, the new one stored.
    expect(defined(after).refreshToken).not.toBe(defined(before).refreshToken);
    expect(tokenRequests(devHost)).toBe(grantsBefore + 1);
    // The refresh went to the token endpoint from the proxy origin, like the code redemption.
    const grants = devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST' && entry.path === '/token');
    expect(grants.map((entry) => entry.headers.origin)).toEqual([devHost.vault.origins.proxy, devHost.vault.origins.proxy]);
    // The API saw only the new token.
    const calls = apiCalls(devHost, '/v1/profile');
    expect(calls.map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(after).accessToken}`)]);
  });
});
