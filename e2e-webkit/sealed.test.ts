import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { apiCalls, appOriginDump, authorizationHash, inTab, login, newTab, openApp, pageFetch, storedTokens, text, useWebKit, type WebKitContext } from './harness.js';

// Sealed mode in WebKitGTK. WebKit partitions the proxy frame's storage by the top-level page, so a
// callback opened at the top level on the proxy origin does not see the frame's store: here the
// vault's default flow is the popup, whose callback hands the code to the opener's proxy frame.

/** What the sealed demo's vault reported, in order. */
function vaultEvents(wk: WebKitContext): Promise<string[]> {
  return wk.driver.executeScript<string[]>('return [...window.sealedDemo.events]');
}

/** Clicks "Sign in" (flow 'auto': the popup in WebKit), logs in in the sign-in window, back in the app's window once it closed. */
async function sealedSignIn(wk: WebKitContext, button = '#sign-in'): Promise<void> {
  const { driver, devHost } = wk;
  await openApp(wk);
  const app = await driver.getWindowHandle();
  const before = await driver.getAllWindowHandles();
  await driver.findElement(By.css(button)).click();
  await expect.poll(async () => (await driver.getAllWindowHandles()).length, { timeout: 10_000 }).toBe(before.length + 1);
  const popup = (await driver.getAllWindowHandles()).find((handle) => !before.includes(handle))!;
  await driver.switchTo().window(popup);
  await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
  await login(driver);
  await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 20_000 }).toBe(false);
  await driver.switchTo().window(app);
  await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
}

describe('WebKit: sealed sign-in', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('popup flow (the default in WebKit): the real login form, the code handed to the proxy frame, the API called; nothing of it on the app origin', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const tokens = await storedTokens(wk);
    expect(tokens).not.toBeNull();
    expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`Bearer ${tokens!.accessToken}`)]);
    const claims = await driver.executeScript<Record<string, unknown>>('return window.sealedDemo.vault.user()');
    expect(claims).toMatchObject({ sub: 'alice', aud: 'sealed' });
    expect(claims.nonce).toBeUndefined();
    const dump = (await appOriginDump(driver)) + JSON.stringify(claims) + (await driver.getCurrentUrl());
    for (const secret of [tokens!.accessToken, tokens!.refreshToken!, tokens!.idToken!]) expect(dump).not.toContain(secret);
    expect(await driver.getCurrentUrl()).toBe(`${devHost.vault.origins.app}/`);
  });

  test('logout in one tab is seen in another', async () => {
    const { driver } = wk;
    await sealedSignIn(wk);
    const first = await driver.getWindowHandle();
    await newTab(wk);
    await openApp(wk);
    await expect.poll(() => text(driver, '#user')).toBe('alice');
    await inTab(wk, first, () => driver.executeScript('return window.sealedDemo.vault.signOut({ endSession: false })'));
    await expect.poll(() => vaultEvents(wk)).toContain('signed-out: logout');
    expect(await storedTokens(wk)).toBeNull();
  });

  test('measured: the redirect flow signs in the top-level proxy partition only, which the proxy frame under the app does not see', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    await driver.executeScript("window.sealedDemo.vault.signIn({ flow: 'redirect', returnTo: '/' })");
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
    await login(driver);
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toBe(`${devHost.vault.origins.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    // The code was redeemed (by the top-level callback, into its own partition) ...
    expect(devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST')).toHaveLength(1);
    // ... and the app's proxy frame, partitioned under the app, holds nothing.
    expect(await storedTokens(wk)).toBeNull();
    expect(await text(driver, '#user')).toBe('signed out');
  });
});
