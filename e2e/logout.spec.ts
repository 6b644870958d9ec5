import { expect, login, opForm, openApp, pageFetch, signIn, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

test.describe('logout', () => {
  test('logout in one tab: every tab learns it, protected requests answer 401, the refresh token is dead at the OP', async ({ context, page, devHost }) => {
    await signIn(page, devHost);
    const other = await context.newPage();
    await openApp(other, devHost);
    await expect(other.locator('#user')).toContainText('signed in');
    const tokens = await storedTokens(page, devHost);

    const result = await page.evaluate(() => window.demo.vault.logout({ endSession: false }));
    // The dev OP revokes the refresh token (and its grant) but cannot revoke a JWT access token: it
    // answers that one 400 (unsupported_token_type), and the app is told so, not spared.
    expect(result).toEqual({
      revocation: 'refused',
      revocationStatus: 400,
      revocations: [
        { token: 'refresh_token', status: 200 },
        { token: 'access_token', status: 400 },
      ],
      storageCleared: true,
    });

    // The other tab's vault said so, without being asked.
    await expect(other.locator('#events')).toContainText('signed-out');
    await expect(other.locator('#user')).toHaveText('signed out');
    expect(await storedTokens(other, devHost)).toBeNull();
    for (const tab of [page, other]) {
      const response = await pageFetch(tab, `${devHost.vault.origins.api}/v1/profile`);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    }
    // Revoked at the OP (RFC 7009): the OP holds the refresh token no more (a refresh without a
    // proof would be refused anyway: it is DPoP-bound), and it no longer works anywhere.
    expect(await devHost.vault.provider.RefreshToken.find(defined(defined(tokens).refreshToken))).toBeUndefined();
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(defined(tokens).refreshToken), client_id: 'demo' });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
    const revocations = devHost.vault.requestLog.find('op', '/token/revocation').filter((entry) => entry.method === 'POST');
    expect(revocations.map((entry) => entry.headers.origin)).toEqual([devHost.vault.origins.proxy, devHost.vault.origins.proxy]);
  });

  test('a revocation nobody answers is reported in the result and as an event; the vault is cleared anyway', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    await page.evaluate(() => {
      (window as unknown as { revocationEvents: number }).revocationEvents = 0;
      window.demo.vault.addEventListener('revocation-failed', () => {
        (window as unknown as { revocationEvents: number }).revocationEvents++;
      });
    });
    // The OP answers 503 without CORS headers to everything (the proxy has its discovery document
    // already): the proxy can read no answer.
    devHost.vault.outage.add('op');
    const result = await page.evaluate(() => window.demo.vault.logout({ endSession: false }));
    devHost.vault.outage.delete('op');
    expect(result).toEqual({
      revocation: 'failed',
      revocations: [
        { token: 'refresh_token', status: null },
        { token: 'access_token', status: null },
      ],
      storageCleared: true,
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { revocationEvents: number }).revocationEvents)).toBe(1);
    expect(await storedTokens(page, devHost)).toBeNull();
    // The client said who it is in each attempt (RFC 7009 §2.1); the dev host logs no bodies, so the
    // unit test (packages/proxy/test/VaultProxy.test.ts) checks the parameters.
    expect(devHost.vault.requestLog.find('op', '/token/revocation').filter((entry) => entry.method === 'POST')).toHaveLength(2);
  });

  test('sign-out ends the OP session too (RP-initiated logout with id_token_hint)', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await page.locator('#sign-out').click();
    await page.waitForURL(`${devHost.vault.origins.op}/session/end**`);
    expect(new URL(page.url()).searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    await expect(page.locator('#user')).toHaveText('signed out');

    // The OP forgot the session: signing in again asks for the password.
    await page.locator('#sign-in').click();
    await page.waitForURL(`${devHost.vault.origins.op}/interaction/**`);
    await expect(page.getByLabel('Password')).toBeVisible();
    await login(page);
    await expect(page.locator('#token-response')).toContainText('"access_token": "REDACTED"');
  });
});
