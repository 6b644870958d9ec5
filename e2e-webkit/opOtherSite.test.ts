import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { inProxyFrame, inTab, newTab, pageFetch, storedTokens, text, useWebKit, type WebKitContext } from './harness.js';
import { sealedSignIn, vaultEvents } from './sealedSignIn.js';
import { defined } from '@tokenvault/test-support';

// e2e/otherSiteOpTests.ts in WebKitGTK: the sealed quick start against an OP on another site
// (login.idp.localhost, SameSite=None cookies). Measured: MiniBrowser as it ships (its cookie policy
// "no-third-party" refuses third-party cookies being set) sent the OP's frames under the app the
// cookies the top-level sign-in had set, so the watch sees the session and works as on one site;
// with --enable-itp (tracking prevention) the same. The blind case (the typed `session-unwatchable`
// event) therefore cannot be produced in WebKitGTK here: it runs in Chromium and Firefox.
// The sign-in is the popup (flow 'auto' in WebKit: its proxy frame's storage is partitioned by the app).
// The OP's cookies go without `Secure` here: WebKitGTK's cookie store refuses a Secure cookie from
// plain http://login.idp.localhost (measured: the login form's interaction cookie never came back,
// the form answered 400).

// The vault's refresh comes ACCESS_TOKEN_TTL - SKEW = 7 s after the sign-in, more than two of the
// proxy's check intervals (fixed, 3 s), as in e2e/otherSiteOpTests.ts.
const ACCESS_TOKEN_TTL = 10;
const SKEW = 3;
const CHECK_INTERVAL_MS = 3000;

/** Starts counting, in the proxy frame, the check_session_iframe's answers; read with `checkAnswers`. */
async function countCheckAnswers(wk: WebKitContext): Promise<void> {
  await inProxyFrame(wk, () =>
    wk.driver.executeScript(
      `window.__answers = {}; addEventListener('message', (e) => { if (e.origin === arguments[0] && typeof e.data === 'string') window.__answers[e.data] = (window.__answers[e.data] ?? 0) + 1 })`,
      wk.devHost.vault.origins.op,
    ),
  );
}

function checkAnswers(wk: WebKitContext): Promise<Partial<Record<string, number>>> {
  return inProxyFrame(wk, () => wk.driver.executeScript<Partial<Record<string, number>>>('return { ...window.__answers }'));
}

describe('WebKit: OP on another site', { timeout: 120_000 }, () => {
  const wk = useWebKit({ demo: 'sealed', opSite: 'other', opCookiesSecure: false, accessTokenTtl: ACCESS_TOKEN_TTL, refreshSkewSeconds: SKEW });

  test('sign-in completes; several check intervals later still signed in, the API answers 200', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    await countCheckAnswers(wk);
    await expect.poll(async () => (await checkAnswers(wk)).unchanged ?? 0, { timeout: 4 * CHECK_INTERVAL_MS + 5000 }).toBeGreaterThanOrEqual(3);
    expect((await checkAnswers(wk)).changed).toBeUndefined();
    expect(await storedTokens(wk)).not.toBeNull();
    expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });

  test('the access token expires and the API still answers 200 (the refresh grant across sites)', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const first = defined(await storedTokens(wk));
    await expect.poll(() => Date.now(), { timeout: ACCESS_TOKEN_TTL * 1000 + 5000 }).toBeGreaterThan(defined(first.expiresAt));
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    expect(defined(await storedTokens(wk)).accessToken).not.toBe(first.accessToken);
  });

  test('a sign-out at the OP is learned within the documented bound, the vault emptied', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    await countCheckAnswers(wk);
    await expect.poll(async () => (await checkAnswers(wk)).unchanged ?? 0, { timeout: 2 * CHECK_INTERVAL_MS + 5000 }).toBeGreaterThanOrEqual(1);
    const app = await driver.getWindowHandle();
    await newTab(wk);
    await driver.get(`${devHost.vault.origins.op}/session/end`);
    await driver.findElement(By.xpath("//button[normalize-space()='Yes, sign me out']")).click();
    await expect.poll(() => text(driver, 'h1'), { timeout: 10_000 }).toBe('Signed out');
    await inTab(wk, app, async () => {
      // The watch sees it: at the next check (the frames see the OP's cookies here).
      await expect.poll(() => vaultEvents(wk), { timeout: 2 * CHECK_INTERVAL_MS + 5000 }).toContain('signed-out: session-ended');
      expect(await storedTokens(wk)).toBeNull();
      expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(401);
    });
  });
});
