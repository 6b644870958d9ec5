import { expect, pageFetch, proxyFrame, storedTokens, tokenRequests, openApp } from './fixtures.js';
import { countCheckAnswers, recordOpAnswers, test } from './crossSiteOp.js';
export { test };
import { sealedSignIn, signInElsewhere, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Shared by op-other-site.spec.ts and op-other-site-no-grant.spec.ts. The quick start (sealed mode) against an OP on another site than the app, each engine with the
// cookie policy it ships (e2e/crossSiteOp.ts; WebKitGTK: e2e-webkit/opOtherSite.test.ts). Where the
// OP's frames under the app see no OP cookies (Chromium blocks them; Firefox without a storage-access
// grant partitions them), the vault stops watching, says so (`session-unwatchable`) and keeps the
// user signed in; its refresh, as the access token expires, learns of a sign-out at the OP.
// Where they do see them (Firefox after its heuristics granted access), the watch goes on.
// Another user signing in at the OP: blind, the vault learns it when the OP refuses its refresh;
// watching, as on one site (sealed-user-changed.spec.ts).

// The vault's refresh comes ACCESS_TOKEN_TTL - SKEW = 7 s after the sign-in: more than two of the
// proxy's check intervals (fixed, 3 s), as the first test claims, and no longer: every blind case
// and the expiry test wait this lifetime out.
const ACCESS_TOKEN_TTL = 10;
const SKEW = 3;
const CHECK_INTERVAL_MS = 3000;
/** docs/session-monitoring.md: blind, a sign-out at the OP is learned at the next refresh, at most the access token's lifetime less the skew later. */
const BLIND_BOUND_MS = (ACCESS_TOKEN_TTL - SKEW) * 1000;

/**
 * The dev host of these specs: the OP on another site, short-lived access tokens, and an OP that
 * answers `prompt=none` for whoever is signed in (`opIgnoresIdTokenHint`, as sealed-user-changed.spec.ts):
 * only the other-user case meets it, every other case has one user at the OP.
 */
export const OTHER_SITE_DEV_HOST = { demo: 'sealed', opSite: 'other', accessTokenTtl: ACCESS_TOKEN_TTL, refreshSkewSeconds: SKEW, opIgnoresIdTokenHint: true } as const;

/**
 * The specs, for a Firefox with its storage-access heuristics (`true`, as it ships) or without a
 * grant (op-other-site-no-grant.spec.ts; the preference is per browser, so per file).
 */
export function otherSiteOpTests(storageAccessHeuristics: boolean): void {
  test.describe(`OP on another site${storageAccessHeuristics ? '' : ', Firefox without a storage-access grant'}`, () => {
    // The heuristics switch is Firefox's: in Chromium the second pass would repeat the first.
    test.skip(({ browserName }) => !storageAccessHeuristics && browserName !== 'firefox', 'storage-access heuristics are a Firefox preference');
    // A sign-in, then waiting out an access token's lifetime (or a sign-out's bound): longer than the suite's 45 s on a loaded machine.
    test.describe.configure({ timeout: 120_000 });
    /** Whether the OP's frames under the app see no OP cookies, as measured (docs/browser-support.md). */
    const blind = (browserName: string): boolean => browserName === 'chromium' || !storageAccessHeuristics;

    test('sign-in completes; several check intervals later still signed in, the API answers 200', async ({ page, context, devHost, browserName }) => {
      const opAnswers = await recordOpAnswers(context, devHost);
      await sealedSignIn(page, devHost);
      if (blind(browserName)) {
        await expect.poll(() => vaultEvents(page)).toContain('session-unwatchable: op-cookies-not-visible');
        // Measured: what the blind frames answered for the session the sign-in had just begun.
        expect(await opAnswers()).toEqual({ check: ['changed'], recheck: ['login_required'] });
        // The vault's own refresh as the token nears its end (ACCESS_TOKEN_TTL - SKEW s, more than two check intervals).
        expect((ACCESS_TOKEN_TTL - SKEW) * 1000).toBeGreaterThan(2 * CHECK_INTERVAL_MS);
        const before = tokenRequests(devHost);
        await expect.poll(() => tokenRequests(devHost), { timeout: ACCESS_TOKEN_TTL * 1000 }).toBeGreaterThan(before);
      } else {
        const answers = await countCheckAnswers(page, devHost);
        await expect.poll(async () => (await answers()).unchanged ?? 0, { timeout: 4 * CHECK_INTERVAL_MS + 5000 }).toBeGreaterThanOrEqual(3);
        expect((await answers()).changed).toBeUndefined();
      }
      expect(await storedTokens(page, devHost)).not.toBeNull();
      expect((await vaultEvents(page)).filter((event) => event.startsWith('signed-out'))).toEqual([]);
      expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    });

    test('the access token expires and the API still answers 200 (the refresh grant across sites)', async ({ page, devHost }) => {
      await sealedSignIn(page, devHost);
      const first = defined(await storedTokens(page, devHost));
      await expect.poll(() => Date.now(), { timeout: ACCESS_TOKEN_TTL * 1000 + 5000 }).toBeGreaterThan(defined(first.expiresAt));
      const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
      expect(response.status).toBe(200);
      expect(defined(await storedTokens(page, devHost)).accessToken).not.toBe(first.accessToken);
    });

    test('a sign-out at the OP is learned within the documented bound, the vault emptied', async ({ page, context, devHost, browserName }, testInfo) => {
      await sealedSignIn(page, devHost);
      if (blind(browserName)) await expect.poll(() => vaultEvents(page)).toContain('session-unwatchable: op-cookies-not-visible');
      else {
        // One counter, set up once: the watch answers `unchanged` before the sign-out.
        const answers = await countCheckAnswers(page, devHost);
        await expect.poll(async () => (await answers()).unchanged ?? 0, { timeout: 2 * CHECK_INTERVAL_MS + 15_000 }).toBeGreaterThanOrEqual(1);
      }
      const other = await context.newPage();
      await other.goto(`${devHost.vault.origins.op}/session/end`);
      await other.getByRole('button', { name: 'Yes, sign me out' }).click();
      await expect(other.getByRole('heading', { name: 'Signed out' })).toBeVisible();
      const signedOutAt = Date.now();
      // Blind: the refresh the OP refuses (the dev OP revokes the grant at sign-out). Watching: the next check.
      const expected = blind(browserName) ? 'signed-out: refresh-failed' : 'signed-out: session-ended';
      const bound = blind(browserName) ? BLIND_BOUND_MS : 2 * CHECK_INTERVAL_MS;
      await expect.poll(() => vaultEvents(page), { timeout: bound + 5000 }).toContain(expected);
      testInfo.annotations.push({ type: 'learned after', description: `${Date.now() - signedOutAt} ms (${expected}; bound ${bound} ms)` });
      expect(await storedTokens(page, devHost)).toBeNull();
      expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(401);
    });

    test('the app gets the typed cannot-watch event with its reason, in every tab', async ({ page, context, devHost, browserName }) => {
      test.skip(!blind(browserName), 'Firefox granted the OP frame storage access after the top-level sign-in: the watch sees the session');
      await sealedSignIn(page, devHost);
      await expect.poll(() => vaultEvents(page)).toContain('session-unwatchable: op-cookies-not-visible');
      // A second tab's vault: its own proxy frame comes to the same conclusion.
      const second = await context.newPage();
      await openApp(second, devHost);
      await expect.poll(() => vaultEvents(second)).toContain('session-unwatchable: op-cookies-not-visible');
      // No check frame is left in either tab, and both still hold the session.
      for (const tab of [page, second]) {
        // The check frame goes right after the event, not with it (seen in a tab that got the news).
        await expect.poll(() => proxyFrame(tab, devHost).childFrames().length).toBe(0);
        expect((await vaultEvents(tab)).filter((event) => event.startsWith('signed-out'))).toEqual([]);
      }
      expect((await pageFetch(second, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    });

    test('another user signs in at the OP: every tab signs out (blind: when the OP refuses the refresh; watching: user-changed), nothing of theirs kept', async ({
      page,
      context,
      devHost,
      browserName,
    }, testInfo) => {
      await sealedSignIn(page, devHost);
      const second = await context.newPage();
      await openApp(second, devHost);
      await expect(second.locator('#user')).toHaveText('alice');
      if (blind(browserName)) {
        // The watch has stopped in both tabs: Bob's sign-in cannot reach it.
        for (const tab of [page, second]) await expect.poll(() => vaultEvents(tab)).toContain('session-unwatchable: op-cookies-not-visible');
      } else {
        const answers = await countCheckAnswers(page, devHost);
        await expect.poll(async () => (await answers()).unchanged ?? 0, { timeout: 2 * CHECK_INTERVAL_MS + 15_000 }).toBeGreaterThanOrEqual(1);
      }
      // Every refresh token the OP issues to Bob for this client: only a watch's renewal would get one.
      const bobs: string[] = [];
      devHost.vault.provider.on('refresh_token.saved', (token: { accountId: string; jti: string }) => {
        if (token.accountId === 'bob') bobs.push(token.jti);
      });
      await signInElsewhere(context, devHost, 'bob');
      const switchedAt = Date.now();
      // Blind: Bob's login ended Alice's OP session, and her refresh token with it (the dev OP's
      // refresh tokens without offline_access expire with the session): the vault's next refresh is
      // refused. Watching: the renewal brings Bob's code, the ID token check finds another `sub`.
      const expected = blind(browserName) ? 'signed-out: refresh-failed' : 'signed-out: user-changed';
      const bound = blind(browserName) ? BLIND_BOUND_MS : 2 * CHECK_INTERVAL_MS;
      for (const tab of [page, second]) {
        await expect.poll(() => vaultEvents(tab), { timeout: bound + 5000 }).toContain(expected);
        await expect(tab.locator('#user')).toHaveText('signed out');
      }
      testInfo.annotations.push({ type: 'learned after', description: `${Date.now() - switchedAt} ms (${expected}; bound ${bound} ms)` });
      expect(await storedTokens(page, devHost)).toBeNull();
      // Blind, the vault never asked the OP for Bob; watching, it redeemed Bob's code and revoked what it got.
      if (blind(browserName)) expect(bobs).toEqual([]);
      else expect(bobs.length).toBeGreaterThan(0);
      for (const jti of bobs) expect(await devHost.vault.provider.RefreshToken.find(jti)).toBeUndefined();
    });
  });
}
