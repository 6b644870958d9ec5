import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import {
  authorizationHash,
  perApiLogoutRevocations,
  profileAuthorizations,
  expect,
  jwtClaims,
  openApp,
  pageFetch,
  proxyFrame,
  signIn,
  storedTokens,
  ENGINE_NEUTRAL,
} from './fixtures.js';
import { countCheckAnswers, test } from './crossSiteOp.js';
import { apiTokens, audiences, grantsSeen, profile } from './perApiFixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { PROXY_MS, UPSTREAM_MS, queueBehindHolders } from './upstreamQueue.js';
import { defined } from '@tokenvault/test-support';

// The features that ran against an OP on the app's site only, now against an OP on another site
// (login.idp.localhost), each engine with its cookie defaults as shipped (e2e/crossSiteOp.ts:
// Chromium partitions and blocks third-party cookies; Firefox ESR with Total Cookie Protection and
// its storage-access heuristics). The same-site specs: sealed-tabs, per-api, per-api-dropin,
// discovery-preload, upstream-queue (its case here runs in Chromium only, as that spec does).
// WebKitGTK: e2e-webkit/opOtherSiteFeatures.test.ts. What each engine's session watch sees across
// sites: op-other-site.spec.ts and docs/browser-support.md.
// One dev host per mode, with the perApi setup (two APIs, one token each, RFC 8707): the two-tab
// and preload checks need nothing of it and share its dev host rather than start another.
test.use({ storageAccessHeuristics: true });
test.describe.configure({ timeout: 120_000 });

const DISCOVERY = '/.well-known/openid-configuration';

/**
 * The proxy frame of `page` took the OP's discovery document from its HTML's preload (resource
 * timing names the `link`), and the OP saw one request for it from the proxy origin: across sites
 * the OP answered the preload's CORS request and the fetch used the preloaded response.
 */
async function expectDiscoveryPreloaded(page: Page, devHost: FastifyInstance): Promise<void> {
  const { op, proxy } = devHost.vault.origins;
  const entries = await proxyFrame(page, devHost).evaluate(
    (url) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name === url).map((r) => r.initiatorType),
    `${op}${DISCOVERY}`,
  );
  expect(entries).toEqual(['link']);
  const fromProxy = devHost.vault.requestLog.find('op', DISCOVERY).filter((entry) => entry.headers.origin === proxy);
  expect(fromProxy).toHaveLength(1);
}

/**
 * The grants that named an API. Where the watch's frames are blind (Chromium) the watch asks the OP
 * about the grant with a refresh of the vault's own token, naming none, at a time of its choosing.
 */
const namingApis = (grants: string[]): string[] => grants.filter((resource) => resource !== '');

/** Whether the OP's frames under the app see no OP cookies (Chromium as it ships; docs/browser-support.md). */
const blind = (browserName: string): boolean => browserName === 'chromium';

test.describe('OP on another site: sealed', () => {
  test.use({ devHostOptions: { demo: 'sealed', opSite: 'other', perApi: true, dpop: false } });

  test('discovery comes from the preload; a sign-in in one tab reaches the other, each watch as the engine allows; logout in the other reaches the first', async ({
    page,
    context,
    devHost,
    browserName,
  }) => {
    await openApp(page, devHost);
    await expectDiscoveryPreloaded(page, devHost);
    const other = await context.newPage();
    await openApp(other, devHost);
    await expect(other.locator('#user')).toHaveText('signed out');

    // The redirect flow in the first tab; the proxy page that redeems the code tells the other tab's frame.
    await sealedSignIn(page, devHost);
    await expect.poll(() => vaultEvents(other)).toContain('signed-in');
    await expect(other.locator('#user')).toHaveText('alice');
    expect(await storedTokens(other, devHost)).not.toBeNull();
    // The other tab's own session watch started with the news: blind frames (Chromium) make it stop
    // and say so, without a sign-out; frames that see the OP's cookies (Firefox's grant) stay.
    if (blind(browserName)) {
      await expect.poll(() => vaultEvents(other)).toContain('session-unwatchable: op-cookies-not-visible');
      // Its check frame goes right after the event.
      await expect.poll(() => proxyFrame(other, devHost).childFrames().length).toBe(0);
    } else {
      await expect.poll(() => other.frames().some((frame) => frame.url().startsWith(`${devHost.vault.origins.op}/session/check`))).toBe(true);
      const answers = await countCheckAnswers(other, devHost);
      await expect.poll(async () => (await answers()).unchanged ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      expect(await vaultEvents(other)).not.toContain('session-unwatchable: op-cookies-not-visible');
    }
    expect((await vaultEvents(other)).filter((event) => event.startsWith('signed-out'))).toEqual([]);

    // Logout in the other tab: the first learns it unasked, and nothing is held any more.
    const result = await other.evaluate(() => window.sealedDemo.vault.logout({ endSession: false }));
    expect(result.storageCleared).toBe(true);
    await expect.poll(() => vaultEvents(page)).toContain('signed-out: logout');
    await expect(page.locator('#user')).toHaveText('signed out');
    expect(await storedTokens(page, devHost)).toBeNull();
    expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(401);
  });

  test('one token per API: each API gets its own audience’s token from a refresh grant naming it, never the other’s; userinfo takes the vault’s own; logout revokes all', async ({
    page,
    devHost,
  }) => {
    await sealedSignIn(page, devHost);
    const aud = audiences(devHost);
    const grants = grantsSeen(devHost);
    expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
    expect((await pageFetch(page, profile(devHost, 'api2'))).status).toBe(200);
    // The OP issued each API's token on a grant naming that API (RFC 8707's resource), across sites.
    expect(namingApis(grants)).toEqual([aud.api, aud.api2]);
    const held = await apiTokens(page, devHost);
    const t1 = defined(held[aud.api]).accessToken;
    const t2 = defined(held[aud.api2]).accessToken;
    expect([jwtClaims(t1).aud, jwtClaims(t2).aud]).toEqual([aud.api, aud.api2]);
    expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${t1}`)]);
    expect(profileAuthorizations(devHost, 'api2')).toEqual([authorizationHash(`Bearer ${t2}`)]);
    // The vault's own token (the OP's opaque one) at the OP's userinfo on its own site.
    const tokens = defined(await storedTokens(page, devHost));
    expect(tokens.accessToken.includes('.')).toBe(false);
    const userinfo = await pageFetch(page, `${devHost.vault.origins.op}/me`);
    expect(userinfo.status).toBe(200);
    expect(JSON.parse(userinfo.text)).toMatchObject({ sub: 'alice' });

    const result = await page.evaluate(() => window.sealedDemo.vault.logout({ endSession: false }));
    expect(result.revocations).toEqual(perApiLogoutRevocations(devHost));
    expect(await devHost.vault.provider.RefreshToken.find(defined(tokens.refreshToken))).toBeUndefined();
    expect(await apiTokens(page, devHost)).toEqual({});
  });
});

test.describe('OP on another site: drop-in', () => {
  test.use({ devHostOptions: { demo: 'drop-in', opSite: 'other', perApi: true, dpop: false } });

  test('discovery comes from the preload; the drop-in demo: userinfo takes the vault’s own token, each API its own JWT from a refresh grant naming it', async ({
    page,
    devHost,
  }) => {
    const aud = audiences(devHost);
    await openApp(page, devHost);
    await expectDiscoveryPreloaded(page, devHost);
    await signIn(page, devHost);
    const grants = grantsSeen(devHost);
    const userinfo = await pageFetch(page, `${devHost.vault.origins.op}/me`);
    expect(userinfo.status).toBe(200);
    expect(JSON.parse(userinfo.text)).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    const own = defined(await storedTokens(page, devHost)).accessToken;
    expect(own.includes('.')).toBe(false);
    for (const name of ['api', 'api2'] as const) {
      const answer = await pageFetch(page, profile(devHost, name));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ aud: aud[name] });
    }
    expect(namingApis(grants)).toEqual([aud.api, aud.api2]);
    const held = await apiTokens(page, devHost);
    expect(jwtClaims(defined(held[aud.api]).accessToken).aud).toBe(aud.api);
    expect(jwtClaims(defined(held[aud.api2]).accessToken).aud).toBe(aud.api2);
  });
});

test.describe('OP on another site: the upstream queue', () => {
  test.use({ devHostOptions: { demo: 'drop-in', opSite: 'other', perApi: true, dpop: false, maxUpstreamRequests: 1, timeouts: { proxyMs: PROXY_MS, upstreamMs: UPSTREAM_MS } } });

  test(
    'userinfo at the OP on another site, queued behind maxUpstreamRequests past upstreamMs + proxyMs, gets its answer through the channel and the worker',
    { tag: ENGINE_NEUTRAL },
    async ({ page, devHost }) => {
      const { op, proxy } = devHost.vault.origins;
      await signIn(page, devHost);
      const grants = grantsSeen(devHost);
      // The API's token first, from the OP's token endpoint (a refresh grant naming the API): a
      // holder still getting its token has no place yet, and a request that needs none would pass it.
      expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
      devHost.vault.requestLog.clear();
      // Four holders of the one place, each until the upstream limit (3 s); the two userinfo requests,
      // sent once the first holder is at the API, wait for the rest.
      const outcome = await queueBehindHolders(page, devHost, 4, { url: `${op}/me`, afterFirstHolder: true });
      expect(outcome.holders.map((holder) => holder.answer)).toEqual(Array(4).fill('504 TV_UPSTREAM_TIMEOUT'));
      expect(outcome.channel.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
      expect(outcome.worker.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
      expect([outcome.channel.answer, outcome.worker.answer]).toEqual(['200', '200']);
      const userinfo = devHost.vault.requestLog.find('op', '/me').filter((entry) => entry.method === 'GET');
      expect(userinfo.map((entry) => entry.headers.origin)).toEqual([proxy, proxy]);
      // The holders used the API's token the vault held: one grant named the API in all.
      expect(namingApis(grants)).toEqual([audiences(devHost).api]);
    },
  );
});
