import { apiCalls, authorizationHash, expect, pageFetch, signIn, storedTokens, test, tokenRequests } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// Every access token is inside the refresh window as soon as it is issued.
test.use({ devHostOptions: { accessTokenTtl: 30, refreshSkewSeconds: 30 } });

test.describe('refresh before expiry', () => {
  test('a request with an expiring token refreshes first, then carries the new token', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const grantsBefore = tokenRequests(devHost);

    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);

    const after = await storedTokens(page, devHost);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    // The dev OP rotates refresh tokens: the old one is used up, the new one stored.
    expect(defined(after).refreshToken).not.toBe(defined(before).refreshToken);
    expect(tokenRequests(devHost)).toBe(grantsBefore + 1);
    const calls = apiCalls(devHost, '/v1/profile');
    expect(calls.map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(after).accessToken}`)]);
  });
});
