import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { newTab, pageFetch, sessionEvents, signIn, storedTokens, text, tokenRequests, useWebKit } from './harness.js';

// e2e/session.spec.ts in WebKitGTK: OpenID Connect Session Management, with short checks so that
// "several intervals" take a few seconds.
describe('WebKit: the session monitor', () => {
  const wk = useWebKit({ sessionCheckIntervalMs: 500 });

  test('signed in and idle: the OP answers unchanged for several intervals, and nothing is re-checked', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    await expect.poll(async () => (await sessionEvents(driver)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    expect(new Set(await sessionEvents(driver))).toEqual(new Set(['unchanged']));
    expect(await driver.executeScript('return window.demo.monitor?.state')).toMatch(/^(running|rechecking)$/);
    // One authorization request (the sign-in), and the check frame loaded once from the OP.
    expect(devHost.vault.requestLog.find('op', '/auth').filter((entry) => entry.path === '/auth')).toHaveLength(1);
    expect(devHost.vault.requestLog.find('op', '/session/check').filter((entry) => entry.path === '/session/check')).toHaveLength(1);
    expect(await storedTokens(wk)).not.toBeNull();
  });

  test('logout at the OP in another tab: the app gets signedOut at its next check and the vault is empty', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    await expect.poll(async () => (await sessionEvents(driver)).filter((e) => e === 'unchanged').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(await storedTokens(wk)).not.toBeNull();
    const app = await driver.getWindowHandle();
    const mark = (await sessionEvents(driver)).length;
    const grants = tokenRequests(devHost);

    // The user signs out at the OP in another tab. (MiniBrowser under Xvfb keeps reporting the app's
    // tab visible meanwhile, so its monitor goes on checking; e2e/session.spec.ts covers the pause.)
    await newTab(wk);
    await driver.get(`${devHost.vault.origins.op}/session/end`);
    await driver.findElement(By.css('button[name=logout][value=yes]')).click();
    await expect.poll(() => text(driver, 'h1')).toBe('Signed out');

    await driver.switchTo().window(app);
    await expect.poll(async () => (await sessionEvents(driver)).slice(mark), { timeout: 15_000 }).toContain('signedOut: session-ended');
    const after = (await sessionEvents(driver)).slice(mark);
    // Checks went on during the logout ("unchanged", if any, until the OP's state changed), then stopped.
    expect(after.slice(-2)).toEqual(['changed', 'signedOut: session-ended']);
    expect(after.slice(0, -2).filter((e) => e !== 'unchanged')).toEqual([]);
    expect(await storedTokens(wk)).toBeNull();
    await expect.poll(() => text(driver, '#user')).toBe('signed out (at the OP)');
    expect(await driver.executeScript('return window.demo.monitor?.state')).toBe('stopped');
    expect(await driver.findElements(By.css('iframe[title="OP session check"]'))).toHaveLength(0);
    // The prompt=none re-check found no session: no code, so nothing was redeemed.
    expect(tokenRequests(devHost)).toBe(grants);
    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    expect(devHost.vault.requestLog.find('api', '/v1/profile')).toHaveLength(0);
  });
});
