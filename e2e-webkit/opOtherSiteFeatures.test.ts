import { describe, expect, test } from 'vitest';
import { apiTokensInPage, type ApiTokens } from '../e2e/inPage.js';
import {
  authorizationHash,
  perApiLogoutRevocations,
  profileAuthorizations,
  inProxyFrame,
  inTab,
  jwtClaims,
  openApp,
  pageFetch,
  signIn,
  storedTokens,
  useWebKit,
  type WebKitContext,
} from './harness.js';
import { sealedSignIn, signInSeenInSecondTab, vaultEvents } from './sealedSignIn.js';
import { defined } from '@tokenvault/test-support';

// e2e/op-other-site-features.spec.ts in WebKitGTK: the two-tab sign-in and logout, one token per API
// (RFC 8707) and the proxy page's discovery preload against an OP on another site
// (login.idp.localhost), MiniBrowser's cookie defaults as shipped. Its OP frames under the app see
// the OP's cookies (measured in opOtherSite.test.ts), so the second tab's watch runs. The OP's
// cookies go without `Secure` (WebKitGTK refuses a Secure cookie from plain http, opOtherSite.test.ts).

const OTHER_SITE = { opSite: 'other', opCookiesSecure: false, perApi: true, dpop: false } as const;
const DISCOVERY = '/.well-known/openid-configuration';

const apiTokens = (wk: WebKitContext): Promise<ApiTokens> => inProxyFrame(wk, () => wk.driver.executeScript<ApiTokens>(`return (${apiTokensInPage.toString()})();`));

/** The current tab's proxy frame took discovery from its HTML's preload, and the OP saw one request for it from the proxy. */
async function expectDiscoveryPreloaded(wk: WebKitContext): Promise<void> {
  const { driver, devHost } = wk;
  const { op, proxy } = devHost.vault.origins;
  const entries = await inProxyFrame(wk, () =>
    driver.executeScript<string[]>('return performance.getEntriesByType("resource").filter((r) => r.name === arguments[0]).map((r) => r.initiatorType);', `${op}${DISCOVERY}`),
  );
  expect(entries).toEqual(['link']);
  expect(devHost.vault.requestLog.find('op', DISCOVERY).filter((entry) => entry.headers.origin === proxy)).toHaveLength(1);
}

/** Each sample API answers 200 with a token of its own audience, sent by the proxy and held in the API's slot. */
async function expectOneTokenPerApi(wk: WebKitContext): Promise<void> {
  const { driver, devHost } = wk;
  const aud = { api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` };
  for (const name of ['api', 'api2'] as const) {
    const answer = await pageFetch(driver, `${devHost.vault.origins[name]}/v1/profile`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ sub: 'alice', aud: aud[name] });
  }
  const held = await apiTokens(wk);
  const t1 = defined(held[aud.api]).accessToken;
  const t2 = defined(held[aud.api2]).accessToken;
  expect([jwtClaims(t1).aud, jwtClaims(t2).aud]).toEqual([aud.api, aud.api2]);
  expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${t1}`)]);
  expect(profileAuthorizations(devHost, 'api2')).toEqual([authorizationHash(`Bearer ${t2}`)]);
  // The vault's own token, the OP's opaque one, at the OP's userinfo.
  expect(defined(await storedTokens(wk)).accessToken.includes('.')).toBe(false);
  expect((await pageFetch(driver, `${devHost.vault.origins.op}/me`)).status).toBe(200);
}

describe('WebKit: OP on another site, sealed', { timeout: 120_000 }, () => {
  const wk = useWebKit({ demo: 'sealed', ...OTHER_SITE });

  test('discovery comes from the preload; a sign-in in one tab reaches the other, whose watch starts; logout in the other reaches the first', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    await expectDiscoveryPreloaded(wk);
    const second = await signInSeenInSecondTab(wk);
    await inTab(wk, second, async () => {
      // Its own watch started with the news: the OP's check frame is under its proxy frame. (Its
      // checks wait: the watch pauses while its page is hidden, and WebDriver's second tab stays
      // hidden here. The first tab's watch sees the session across sites: opOtherSite.test.ts.)
      const checkFrames = () => inProxyFrame(wk, () => driver.executeScript<string[]>('return [...document.querySelectorAll("iframe")].map((frame) => frame.src)'));
      await expect.poll(checkFrames).toEqual([`${devHost.vault.origins.op}/session/check`]);
      await driver.executeScript('return window.sealedDemo.vault.logout({ endSession: false })');
    });
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('signed-out: logout');
    expect(await storedTokens(wk)).toBeNull();
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(401);
  });

  test('one token per API: each API gets a token of its own audience, userinfo the vault’s own; logout revokes all', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    await expectOneTokenPerApi(wk);
    const result = await driver.executeScript<{ revocations: unknown[] }>('return window.sealedDemo.vault.logout({ endSession: false })');
    expect(result.revocations).toEqual(perApiLogoutRevocations(devHost));
    expect(await apiTokens(wk)).toEqual({});
  });
});

describe('WebKit: OP on another site, drop-in', { timeout: 120_000 }, () => {
  const wk = useWebKit({ demo: 'drop-in', ...OTHER_SITE });

  test('discovery comes from the preload; the drop-in demo: each API gets a token of its own audience, userinfo the vault’s own', async () => {
    await openApp(wk);
    await expectDiscoveryPreloaded(wk);
    await signIn(wk);
    await expectOneTokenPerApi(wk);
  });
});
