import { authorizationHash, perApiLogoutRevocations, profileAuthorizations, expect, jwtClaims, pageFetch, storedTokens, test } from './fixtures.js';
import { apiTokens, audiences, outsideCall, profile } from './perApiFixtures.js';
import { sealedSignIn } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// One token per API (RFC 8707) in sealed mode: the dev host's perApi setup has two sample APIs,
// api and api2, each accepting only JWTs with its own audience; the sign-in's grant covers both;
// the vault's own token is the OP's opaque one, which userinfo accepts. Real OP (oidc-provider
// with resourceIndicators), real browsers, the proxy's real IndexedDB.
test.use({ devHostOptions: { demo: 'sealed', perApi: true, dpop: false } });

// A sealed sign-in, then several token round trips per test: under a loaded machine (measured
// here: Firefox ESR on 2 cores at load 30) that takes longer than the suite's default limit.
test.describe.configure({ timeout: 120_000 });

test.describe('one token per API (bearer)', () => {
  test('two APIs each get a token with their own audience, never the other’s; userinfo works with the vault’s own token', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const aud = audiences(devHost);
    await page.locator('#call-apis').click();
    await expect(page.locator('#apis-response')).toContainText('"api": "api2"');
    const shown = JSON.parse(defined(await page.locator('#apis-response').textContent())) as { answers: { status: number; body: { aud: unknown } }[] };
    expect(shown.answers.map((a) => [a.status, a.body.aud])).toEqual([
      [200, aud.api],
      [200, aud.api2],
    ]);

    const held = await apiTokens(page, devHost);
    expect(Object.keys(held).sort()).toEqual([aud.api, aud.api2].sort());
    const t1 = defined(held[aud.api]).accessToken;
    const t2 = defined(held[aud.api2]).accessToken;
    expect(jwtClaims(t1).aud).toBe(aud.api);
    expect(jwtClaims(t2).aud).toBe(aud.api2);
    // Each API got its own token, and only it.
    expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${t1}`)]);
    expect(profileAuthorizations(devHost, 'api2')).toEqual([authorizationHash(`Bearer ${t2}`)]);
    // The APIs check the audience: either token at the other API is refused (a leaked one buys nothing there).
    expect(await outsideCall(devHost, 'api2', `Bearer ${t1}`)).toBe(401);
    expect(await outsideCall(devHost, 'api', `Bearer ${t2}`)).toBe(401);
    expect(await outsideCall(devHost, 'api2', `Bearer ${t2}`)).toBe(200);

    // The vault's own token is the OP's (opaque, no audience of an API): userinfo takes it.
    const own = defined(await storedTokens(page, devHost)).accessToken;
    expect(own.includes('.')).toBe(false);
    const userinfo = await pageFetch(page, `${devHost.vault.origins.op}/me`);
    expect(userinfo.status).toBe(200);
    expect(JSON.parse(userinfo.text)).toMatchObject({ sub: 'alice' });
    // status lists the APIs holding a token, never a token.
    const status = await page.evaluate(() => window.sealedDemo.vault.status());
    expect(status.apis.map((a) => a.api).sort()).toEqual([aud.api, aud.api2].sort());
    expect(JSON.stringify(status)).not.toContain(t1);
  });

  test('an API the OP issues no token for answers TV_NO_API_TOKEN; the other API and the session stay', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    // The dev host lives as long as the worker: the OP's refusal ends with this test.
    devHost.vault.op.refusedResources.add(audiences(devHost).api2);
    try {
      const refused = await pageFetch(page, profile(devHost, 'api2'));
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({ error: 'TV_NO_API_TOKEN' });
      expect(devHost.vault.requestLog.find('api2', '/v1/profile').filter((e) => e.method === 'GET')).toEqual([]);
      expect((await pageFetch(page, profile(devHost, 'api'))).status).toBe(200);
      expect((await page.evaluate(() => window.sealedDemo.vault.status())).signedIn).toBe(true);
    } finally {
      devHost.vault.op.refusedResources.clear();
    }
  });

  test('logout revokes the refresh token and every access token held, each API’s included', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    await page.locator('#call-apis').click();
    await expect(page.locator('#apis-response')).toContainText('"api": "api2"');
    const tokens = defined(await storedTokens(page, devHost));
    const result = await page.evaluate(() => window.sealedDemo.vault.logout({ endSession: false }));
    // The OP refuses to revoke each API's JWT (400, RFC 7009 §2.2.1): the app is told so, per API.
    expect(result.revocations).toEqual(perApiLogoutRevocations(devHost));
    expect(await devHost.vault.provider.RefreshToken.find(defined(tokens.refreshToken))).toBeUndefined();
    expect(await apiTokens(page, devHost)).toEqual({});
    expect((await page.evaluate(() => window.sealedDemo.vault.status())).apis).toEqual([]);
    expect((await pageFetch(page, profile(devHost, 'api2'))).status).toBe(401);
  });
});
