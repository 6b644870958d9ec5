import { describe, expect, test } from 'vitest';
import { perApiLogoutRevocations, inProxyFrame, inTab, openApp, pageFetch, signIn, storedTokens, useWebKit, type WebKitContext } from './harness.js';
import { apiTokens, expectOneTokenPerApi } from './perApi.js';
import { sealedSignIn, signInSeenInSecondTab, vaultEvents } from './sealedSignIn.js';

// e2e/op-other-site-features.spec.ts in WebKitGTK: the two-tab sign-in and logout, one token per API
// (RFC 8707) and the proxy page's discovery preload against an OP on another site
// (login.idp.localhost), MiniBrowser's cookie defaults as shipped. Its OP frames under the app see
// the OP's cookies (measured in opOtherSite.test.ts), so the second tab's watch runs. The OP's
// cookies go without `Secure` (WebKitGTK refuses a Secure cookie from plain http, opOtherSite.test.ts).

const OTHER_SITE = { opSite: 'other', opCookiesSecure: false, perApi: true, dpop: false } as const;
const DISCOVERY = '/.well-known/openid-configuration';

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
