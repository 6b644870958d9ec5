import type { Page } from '@playwright/test';
import type { ExampleSite } from '@tokenvault/dev-host';
import { run, signInWith, site, stored } from './exampleApps.js';
import { authorizationHash, profileAuthorizations, expect, jwtClaims, login, pageFetch, signIn, storedTokens, test } from './fixtures.js';
import { apiTokensInPage, type ApiTokens } from './inPage.js';
import { apiTokens as demoApiTokens, audiences, grantsSeen, profile } from './perApiFixtures.js';
import { defined } from '@tokenvault/test-support';

// One token per API (RFC 8707) in drop-in mode, with oidc-client-ts (examples/oidc-client-ts) and
// `loadUserInfo: true`: the dev host's perApi setup issues JWT access tokens for each sample API
// (each checks its own audience) and the OP's own opaque token to a token request naming none,
// which is what userinfo accepts. The example's rules name the APIs; its authorization request
// asks for them (`resource`). Real OP (oidc-provider), real library, real browsers.
test.use({ devHostOptions: { demo: 'drop-in', perApi: true, dpop: false } });
test.describe.configure({ timeout: 120_000 });

const apiTokens = (page: Page, example: ExampleSite): Promise<ApiTokens> => defined(page.frames().find((f) => f.url().startsWith(`${example.proxy}/`))).evaluate(apiTokensInPage);
/** The Authorization headers (hashed) the OP's userinfo endpoint got, and from which origin. */
const userinfoCalls = (devHost: Parameters<typeof site>[0]) =>
  devHost.vault.requestLog
    .find('op', '/me')
    .filter((entry) => entry.method !== 'OPTIONS')
    .map((entry) => ({ origin: entry.headers.origin, authorization: entry.authorization?.sha256 }));

test.describe('one token per API, drop-in (oidc-client-ts, loadUserInfo)', () => {
  test('oidc-client-ts with loadUserInfo: sign-in and signinSilent load the profile from userinfo with the OP’s token; the API gets its own JWT', async ({ page, devHost }) => {
    const example = site(devHost, 'oidc-client-ts');
    const aud = audiences(devHost);
    const grants = grantsSeen(devHost);
    await signInWith(page, devHost, example);
    // The profile came from userinfo: the ID token has no `name` (an access token was issued with it), the profile does.
    const signedIn = defined(await stored(page, example));
    expect(jwtClaims(defined(signedIn.idToken)).name).toBeUndefined();
    expect(await run(page, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    // The vault's own token is the OP's opaque one, and userinfo got it, from the proxy origin.
    expect(signedIn.accessToken.includes('.')).toBe(false);
    expect(userinfoCalls(devHost)).toEqual([{ origin: example.proxy, authorization: authorizationHash(`Bearer ${signedIn.accessToken}`) }]);

    // The API call gets the API's JWT (its audience only), from the API's slot.
    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice', aud: aud.api } });
    const apiToken = defined((await apiTokens(page, example))[aud.api]).accessToken;
    expect(jwtClaims(apiToken).aud).toBe(aud.api);
    expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${apiToken}`)]);

    // signinSilent: the library's refresh grant names no API; loadUserInfo asks userinfo again, with the new own token.
    devHost.vault.requestLog.clear();
    expect(await run(page, 'refresh')).toMatchObject({ access_token: 'REDACTED', refresh_token: 'REDACTED' });
    const refreshed = defined(await stored(page, example));
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    expect(refreshed.accessToken.includes('.')).toBe(false);
    expect(userinfoCalls(devHost)).toEqual([{ origin: example.proxy, authorization: authorizationHash(`Bearer ${refreshed.accessToken}`) }]);
    expect(await run(page, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    // The API's token stayed in its slot: the library's refresh threw no API's token away.
    expect(defined((await apiTokens(page, example))[aud.api]).accessToken).toBe(apiToken);
    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { aud: aud.api } });
    // Code exchange and the library's refresh named none; the API's token alone named it.
    expect(grants).toEqual(['', aud.api, '']);
  });

  test('a library’s code exchange naming an API: its token goes into that API’s slot, the sign-in’s own is the OP’s, userinfo still loads', async ({ page, devHost }) => {
    const example = site(devHost, 'oidc-client-ts');
    const aud = audiences(devHost);
    const grants = grantsSeen(devHost);
    await page.goto(`${example.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.locator('#sign-in-api').click();
    await page.waitForURL(`${devHost.vault.origins.op}/**`);
    await login(page);
    await expect(page.locator('#user')).toHaveText('alice');
    // The code exchange named the API; the vault then asked for the sign-in's own token, naming none.
    expect(grants).toEqual([aud.api, '']);
    const held = defined((await apiTokens(page, example))[aud.api]).accessToken;
    expect(jwtClaims(held).aud).toBe(aud.api);
    const own = defined(await stored(page, example)).accessToken;
    expect(own.includes('.')).toBe(false);
    // loadUserInfo at the callback got the OP's token, not the API's.
    expect(await run(page, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    expect(userinfoCalls(devHost)).toEqual([{ origin: example.proxy, authorization: authorizationHash(`Bearer ${own}`) }]);
    // The API gets the code exchange's token without another request to the OP.
    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { aud: aud.api } });
    expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${held}`)]);
    expect(grants).toHaveLength(2);
  });

  test('the drop-in demo (dropin.vault.localhost) with JWT access tokens for its APIs: userinfo takes the vault’s own token, each API its JWT', async ({ page, devHost }) => {
    const aud = audiences(devHost);
    await signIn(page, devHost);
    const userinfo = await pageFetch(page, `${devHost.vault.origins.op}/me`, { headers: { authorization: 'Bearer REDACTED' } });
    expect(userinfo.status).toBe(200);
    expect(JSON.parse(userinfo.text)).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    const own = defined(await storedTokens(page, devHost)).accessToken;
    expect(own.includes('.')).toBe(false);
    expect(userinfoCalls(devHost)).toEqual([{ origin: devHost.vault.origins.proxy, authorization: authorizationHash(`Bearer ${own}`) }]);
    for (const name of ['api', 'api2'] as const) {
      const answer = await pageFetch(page, profile(devHost, name), { headers: { authorization: 'Bearer REDACTED' } });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ aud: aud[name] });
    }
    const held = await demoApiTokens(page, devHost);
    expect(jwtClaims(defined(held[aud.api]).accessToken).aud).toBe(aud.api);
    expect(jwtClaims(defined(held[aud.api2]).accessToken).aud).toBe(aud.api2);
  });
});
