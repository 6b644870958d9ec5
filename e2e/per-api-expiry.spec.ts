import type { Page } from '@playwright/test';
import { expect, openApp, pageFetch, storedTokens, test } from './fixtures.js';
import { apiTokens, audiences, grantsSeen, profile } from './perApiFixtures.js';
import { sealedSignIn } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// One token per API (RFC 8707) in sealed mode, with short-lived DPoP-bound tokens: the dev host's perApi setup has two sample APIs,
// api and api2, each accepting only JWTs with its own audience; the sign-in's grant covers both;
// the vault's own token is the OP's opaque one, which userinfo accepts. Real OP (oidc-provider
// with resourceIndicators), real browsers, the proxy's real IndexedDB.
test.use({ devHostOptions: { demo: 'sealed', perApi: true, accessTokenTtl: 8, refreshSkewSeconds: 1 } });

// A sealed sign-in, then several token round trips per test: under a loaded machine (measured
// here: Firefox ESR on 2 cores at load 30) that takes longer than the suite's default limit.
test.describe.configure({ timeout: 120_000 });

test.describe('one token per API (DPoP, short-lived)', () => {
  test('tokens that expire at different times: both APIs keep answering 200, each refreshed when its own expires', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const grants = grantsSeen(devHost);
    const aud = audiences(devHost);
    expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
    // api2's token is got later, so it expires later.
    await expect.poll(async () => defined(defined((await apiTokens(page, devHost))[aud.api]).expiresAt) - Date.now(), { timeout: 10_000 }).toBeLessThan(5_000);
    expect((await pageFetch(page, profile(devHost, 'api2'))).status).toBe(200);
    const first = await apiTokens(page, devHost);
    expect(defined(defined(first[aud.api2]).expiresAt) - defined(defined(first[aud.api]).expiresAt)).toBeGreaterThan(2_000);
    // Each bound to the vault's key.
    for (const token of Object.values(first)) expect(token.tokenType).toBe('DPoP');
    expect(grants).toEqual([aud.api, aud.api2]);

    // Until api1's token has been refreshed and api2's too, both keep answering 200.
    await expect
      .poll(
        async () => {
          const statuses = [(await pageFetch(page, profile(devHost, 'api'))).status, (await pageFetch(page, profile(devHost, 'api2'))).status];
          expect(statuses).toEqual([200, 200]);
          return grants.length;
        },
        { timeout: 40_000, intervals: [250] },
      )
      .toBeGreaterThanOrEqual(4);
    // api's expired first, so its refresh came first; never both at once for one expiry.
    expect(grants.slice(0, 4)).toEqual([aud.api, aud.api2, aud.api, aud.api2]);
  });

  test('two tabs × both APIs at expiry with rotation: one refresh per API, every request 200, the session kept', async ({ context, page, devHost }) => {
    await sealedSignIn(page, devHost);
    const second = await context.newPage();
    await openApp(second, devHost);
    const aud = audiences(devHost);
    expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
    expect((await pageFetch(page, profile(devHost, 'api2'))).status).toBe(200);
    const before = defined(await storedTokens(page, devHost));
    const held = await apiTokens(page, devHost);
    const due = Math.max(defined(defined(held[aud.api]).expiresAt), defined(defined(held[aud.api2]).expiresAt)) - 1000;
    const grants = grantsSeen(devHost);
    await expect.poll(() => Date.now() >= due, { timeout: 15_000 }).toBe(true);

    const urls = [profile(devHost, 'api'), profile(devHost, 'api2')];
    const burst = (tab: Page) => tab.evaluate((urls) => Promise.all(Array.from({ length: 10 }, (_, i) => fetch(urls[i % 2]).then((r) => r.status))), urls);
    const [one, two] = await Promise.all([burst(page), burst(second)]);
    expect([...one, ...two]).toEqual(Array(20).fill(200));
    // One refresh per API for all 20 (Web Locks per API, and one for the refresh token, across the tabs).
    expect([...grants].sort()).toEqual([aud.api, aud.api2].sort());
    const after = defined(await storedTokens(second, devHost));
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const live = await devHost.vault.provider.RefreshToken.find(defined(after.refreshToken));
    expect(live && !live.consumed && !live.isExpired).toBe(true);
    expect(after.accessToken).toBe(before.accessToken);
  });
});
