import { authorizationHash, expect, signIn, storedTokens } from './fixtures.js';
import { callHostApi, hostApiCalls, openHost, test } from './hostPage.js';

// What a user who signed in to the app on its own gets when a host page on another site embeds it
// (e2e-webkit/host.test.ts asserts the same in WebKitGTK): the embedded app's storage is partitioned
// by the host's site, so its vault is a separate, empty one there.
test.describe('the app embedded by another site, after a top-level sign-in', () => {
  test('its vault is of the host’s partition: the handoff works, tokens fail closed with TV_NOT_SIGNED_IN', async ({ page, devHost }) => {
    await signIn(page, devHost);
    expect(await storedTokens(page, devHost)).not.toBeNull();
    devHost.vault.requestLog.clear();

    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);

    await expect(app.locator('#user')).toHaveText('signed out');
    const response = await app.evaluate(async (url) => {
      const r = await fetch(url, { headers: { authorization: 'Bearer REDACTED' } });
      return { status: r.status, body: (await r.json()) as unknown };
    }, `${devHost.vault.origins.api}/v1/profile`);
    expect(response).toMatchObject({ status: 401, body: { error: 'TV_NOT_SIGNED_IN' } });
    expect(devHost.vault.requestLog.find('api')).toHaveLength(0);
    // Only the host API got a credential (the session ID); no request carried an access token.
    expect(devHost.vault.requestLog.entries.filter((entry) => entry.authorization).map((entry) => `${entry.origin} ${entry.path}`)).toEqual(['host /api/v1/me']);
  });
});
