import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { inTab, login, newTab, opForm, openApp, pageFetch, signIn, storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/logout.spec.ts in WebKitGTK. The tabs share one vault (one partition: the app's top-level site).
describe('WebKit: logout', () => {
  const wk = useWebKit();

  test('logout in one tab: every tab learns it, protected requests answer 401, the refresh token is dead at the OP', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const tokens = await storedTokens(wk);
    const first = await driver.getWindowHandle();
    const other = await newTab(wk);
    await openApp(wk);
    await expect.poll(() => text(driver, '#user')).toContain('signed in');

    await inTab(wk, first, () => driver.executeScript('return window.demo.vault.logout({ endSession: false })'));

    // The other tab's vault said so, without being asked.
    await expect.poll(() => text(driver, '#events')).toContain('signed-out');
    await expect.poll(() => text(driver, '#user')).toBe('signed out');
    expect(await storedTokens(wk)).toBeNull();
    for (const tab of [first, other]) {
      const response = await inTab(wk, tab, () => pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    }
    // Nothing reached the API: the vault had no token to attach.
    expect(devHost.vault.requestLog.find('api', '/v1/profile')).toHaveLength(0);
    // Revoked at the OP (RFC 7009): the OP holds the refresh token no more (a refresh without a
    // proof would be refused anyway: it is DPoP-bound), and it no longer works anywhere.
    expect(await devHost.vault.provider.RefreshToken.find(defined(defined(tokens).refreshToken))).toBeUndefined();
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(defined(tokens).refreshToken), client_id: 'demo' });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
    const revocations = devHost.vault.requestLog.find('op', '/token/revocation').filter((entry) => entry.method === 'POST');
    expect(revocations.map((entry) => entry.headers.origin)).toEqual([devHost.vault.origins.proxy, devHost.vault.origins.proxy]);
  });

  test('sign-out ends the OP session too (RP-initiated logout with id_token_hint)', async () => {
    const { driver, devHost } = wk;
    const { app, op } = devHost.vault.origins;
    await signIn(wk);
    await driver.findElement(By.id('sign-out')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${op}/session/end`));
    expect(new URL(await driver.getCurrentUrl()).searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    await driver.findElement(By.css('button[name=logout][value=yes]')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toBe(`${app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => text(driver, '#user')).toBe('signed out');
    expect(await storedTokens(wk)).toBeNull();

    // The OP forgot the session: signing in again asks for the password.
    await driver.findElement(By.id('sign-in')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${op}/interaction/`));
    expect(await driver.findElement(By.name('password')).isDisplayed()).toBe(true);
    await login(driver);
    await expect.poll(() => text(driver, '#token-response'), { timeout: 20_000 }).toContain('"access_token": "REDACTED"');
    await expect.poll(() => text(driver, '#user')).toBe('alice');
  });
});
