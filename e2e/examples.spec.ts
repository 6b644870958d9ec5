import { run, signInWith, site, stored } from './exampleApps.js';
import { expect, login, opForm, pageFetch, test, tokenRequests } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// Each example app (examples/*) signs in with its own client library, as a user following the
// README would, and every call the library makes with a token goes through the vault.

// keycloak-js and the Ping SDK have flows of their own (login-required, iframe renewal): their own specs.
for (const name of ['oauth4webapi', 'oidc-client-ts', 'openid-client'] as const) {
  test.describe(`example: ${name}`, () => {
    test('sign-in, API, refresh, userinfo, session status, revocation and sign-out, all through the vault', async ({ page, devHost }) => {
      const example = site(devHost, name);
      const { op, api } = devHost.vault.origins;
      await signInWith(page, devHost, example);
      // Discovery came through the vault too: from the proxy origin.
      const discoveries = devHost.vault.requestLog.find('op', '/.well-known/openid-configuration').map((entry) => entry.headers.origin);
      expect(discoveries).toContain(example.proxy);
      expect(discoveries).not.toContain(example.app);

      expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });

      // The library's own refresh grant (refresh_token=REDACTED).
      const before = tokenRequests(devHost);
      const first = defined(await stored(page, example));
      expect(await run(page, 'refresh')).toMatchObject({ access_token: 'REDACTED' });
      expect(tokenRequests(devHost)).toBe(before + 1);
      expect(defined(await stored(page, example)).accessToken).not.toBe(first.accessToken);

      // UserInfo: the access token in Authorization, from the proxy origin.
      devHost.vault.requestLog.clear();
      expect(await run(page, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
      if (name !== 'oidc-client-ts') {
        // (oidc-client-ts loaded it at sign-in: loadUserInfo)
        expect(
          devHost.vault.requestLog
            .find('op', '/me')
            .filter((entry) => entry.method !== 'OPTIONS')
            .map((entry) => entry.headers.origin),
        ).toEqual([example.proxy]);
      }

      // The library's session-status query: prompt=none with scope=openid, its code redeemed
      // through the vault. The narrower answer does not replace the wider set: the API still answers.
      const scopeBefore = defined(await stored(page, example)).scope;
      expect(await run(page, 'sessionStatus')).toMatchObject({ sub: 'alice' });
      expect(defined(await stored(page, example)).scope).toBe(scopeBefore);
      expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });

      // Revoking the access token (token=REDACTED, token_type_hint=access_token), from the proxy
      // origin. oidc-provider then revokes every token of the grant, the refresh token included: the
      // next API call finds the refresh refused, and the vault empty.
      devHost.vault.requestLog.clear();
      const revoked = defined(await stored(page, example));
      await run(page, 'revoke');
      const revocations = devHost.vault.requestLog.find('op', '/token/revocation').filter((entry) => entry.method === 'POST');
      expect(revocations.map((entry) => entry.headers.origin)).toEqual([example.proxy]);
      expect(await devHost.vault.provider.AccessToken.find(revoked.accessToken)).toBeUndefined();
      expect(await run(page, 'callApi')).toMatchObject({ status: 401, body: { error: 'TV_REFRESH_FAILED' } });
      expect(await stored(page, example)).toBeNull();

      // Signed in again (the OP session is still there), then signed out the library's way.
      await page.locator('#sign-in').click();
      await page.waitForURL((url) => url.origin === example.app || url.pathname.startsWith('/interaction'));
      if (new URL(page.url()).origin !== example.app) await login(page);
      await expect(page.locator('#user')).toHaveText('alice');
      expect(await run(page, 'callApi')).toMatchObject({ status: 200 });

      // Sign-out, the library's way: the vault ends up empty, the refresh token dead at the OP.
      const last = defined(await stored(page, example));
      await page.locator('#sign-out').click();
      await page.waitForURL(`${op}/session/end**`);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(`${example.app}/`);
      await expect(page.locator('#status')).toHaveText('ready');
      await expect(page.locator('#user')).toHaveText('signed out');
      expect(await stored(page, example)).toBeNull();
      const response = await pageFetch(page, `${api}/v1/profile`);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
      const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(last.refreshToken), client_id: example.clientId });
      expect(refresh.body.error).toBe('invalid_grant');
    });
  });
}

test.describe('a library that signs out by navigating to end_session_endpoint alone', () => {
  test('the vault sees the navigation (Navigation API), revokes and clears before the page leaves', async ({ page, devHost }) => {
    const example = site(devHost, 'openid-client');
    const { op, api } = devHost.vault.origins;
    await signInWith(page, devHost, example);
    const tokens = defined(await stored(page, example));
    devHost.vault.requestLog.clear();
    // What any library's sign-out does: a top-level navigation the service worker cannot see.
    await page.evaluate(
      ({ op, idToken, app }) => {
        location.assign(`${op}/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${app}/` })}`);
      },
      { op, idToken: defined(tokens.idToken), app: example.app },
    );
    await page.waitForURL(`${op}/session/end**`);
    // Revoked from the proxy origin before the page left.
    expect(
      devHost.vault.requestLog
        .find('op', '/token/revocation')
        .filter((entry) => entry.method === 'POST')
        .map((entry) => entry.headers.origin),
    ).toContain(example.proxy);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${example.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    expect(await stored(page, example)).toBeNull();
    const response = await pageFetch(page, `${api}/v1/profile`);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(tokens.refreshToken), client_id: example.clientId });
    expect(refresh.body.error).toBe('invalid_grant');
  });
});

test.describe('OP calls from script in the app origin', () => {
  test('a revocation carrying anything but the placeholder, a repeated token, or userinfo by PUT: refused, nothing reaches the OP', async ({ page, devHost }) => {
    const example = site(devHost, 'oauth4webapi');
    const { op } = devHost.vault.origins;
    await signInWith(page, devHost, example);
    const before = defined(await stored(page, example));
    devHost.vault.requestLog.clear();
    const outcomes = await page.evaluate(async (op) => {
      const form = (body: string) => fetch(`${op}/token/revocation`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const answers = [
        await form('token=guessed-token&token_type_hint=refresh_token'),
        await form('token=REDACTED&token=REDACTED'),
        await form('token=REDACTED&client_id=another-client'),
        await fetch(`${op}/me`, { method: 'PUT', headers: { authorization: 'Bearer REDACTED' } }),
      ];
      return Promise.all(answers.map(async (response) => ({ status: response.status, error: ((await response.json()) as { error: string }).error })));
    }, op);
    expect(outcomes).toEqual(Array(4).fill({ status: 400, error: 'TV_INVALID_REQUEST' }));
    expect(devHost.vault.requestLog.find('op').filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(defined(await stored(page, example)).refreshToken).toBe(before.refreshToken);
    expect(await run(page, 'callApi')).toMatchObject({ status: 200 });
  });
});

test.describe('revoking the refresh token through the library', () => {
  test('clears the vault in every tab; the other tab hears signed-out', async ({ context, page, devHost }) => {
    const example = site(devHost, 'oidc-client-ts');
    await signInWith(page, devHost, example);
    const other = await context.newPage();
    await other.goto(`${example.app}/`);
    await expect(other.locator('#user')).toHaveText('signed in');
    // The library's own call: revokeTokens(['refresh_token']) posts token=REDACTED, token_type_hint=refresh_token.
    await page.evaluate(() => (window as unknown as { example: { revokeRefresh(): Promise<unknown> } }).example.revokeRefresh());
    await expect(other.locator('#user')).toHaveText('signed out');
    expect(await stored(other, example)).toBeNull();
    for (const tab of [page, other]) {
      const response = await pageFetch(tab, `${devHost.vault.origins.api}/v1/profile`);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    }
  });
});
