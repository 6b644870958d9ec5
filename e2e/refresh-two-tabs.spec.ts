import { expect, opForm, openApp, signIn, storedTokens, test, tokenRequests } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// Short-lived access tokens: they come due for refresh a few seconds after sign-in.
test.use({ devHostOptions: { accessTokenTtl: 6, refreshSkewSeconds: 1 } });

test.describe('two tabs at expiry with refresh token rotation', () => {
  test('20 requests in flight in each of two tabs: one refresh, every request 200, session kept', async ({ context, page, devHost }) => {
    await signIn(page, devHost);
    const second = await context.newPage();
    await openApp(second, devHost);
    const before = await storedTokens(page, devHost);
    const grants = tokenRequests(devHost);

    // Wait (by polling the clock, not sleeping a fixed time) until the token is due for refresh.
    await expect.poll(() => Date.now() >= defined(defined(before).expiresAt) - 1000, { timeout: 15_000 }).toBe(true);

    const url = `${devHost.vault.origins.api}/v1/profile`;
    const burst = (tab: typeof page) =>
      tab.evaluate((url) => Promise.all(Array.from({ length: 20 }, () => fetch(url, { headers: { authorization: 'Bearer REDACTED' } }).then((r) => r.status))), url);
    const [first, other] = await Promise.all([burst(page), burst(second)]);
    expect([...first, ...other]).toEqual(Array(40).fill(200));

    // One refresh for all 40 (Web Locks across the two tabs' proxies), and the rotated refresh
    // token is the OP's live one: the session survived.
    expect(tokenRequests(devHost)).toBe(grants + 1);
    const after = await storedTokens(second, devHost);
    expect(defined(after).refreshToken).not.toBe(defined(before).refreshToken);
    const live = await devHost.vault.provider.RefreshToken.find(defined(defined(after).refreshToken));
    expect(live && !live.consumed && !live.isExpired).toBe(true);
    expect((await devHost.vault.provider.RefreshToken.find(defined(defined(before).refreshToken)))?.consumed).toBeTruthy();
    // It is DPoP-bound: without a proof of the vault's key it is refused, even to the right client.
    const refreshed = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(defined(after).refreshToken), client_id: 'demo' });
    expect(refreshed.status).toBe(400);
  });
});
