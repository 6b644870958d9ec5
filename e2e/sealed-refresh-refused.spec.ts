import { expect, storedTokens, test, tokenRequests } from './fixtures.js';
import { appRefreshGrant } from './refreshGrant.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';

// Issue 21: in sealed mode there is no OIDC library in the app to serve, so the vault refuses any
// refresh grant app script sends (one with client_id got the whole ID token back before), and the
// malformed one (no client_id) that once signed the user out changes nothing.

test.use({ devHostOptions: { demo: 'sealed' } });

test.describe('a refresh grant from app script, sealed mode', () => {
  test('is refused TV_SEALED_MODE before the OP sees it, and the user stays signed in', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const grants = tokenRequests(devHost);

    for (const body of ['grant_type=refresh_token&refresh_token=REDACTED', 'grant_type=refresh_token&refresh_token=REDACTED&client_id=sealed']) {
      const answer = await appRefreshGrant(page, devHost, body);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'TV_SEALED_MODE' });
      expect(answer.text).not.toContain('id_token');
    }
    expect(tokenRequests(devHost)).toBe(grants);

    expect(await storedTokens(page, devHost)).toEqual(before);
    expect(await vaultEvents(page)).not.toContain('signed-out: refresh-failed');
    const status = await page.evaluate(async (url) => (await window.sealedDemo.vault.fetch(url)).status, `${devHost.vault.origins.api}/v1/profile`);
    expect(status).toBe(200);
  });
});
