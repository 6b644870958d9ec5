import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { run, site, stored } from './exampleApps.js';
import { appOriginDump, expect, jwtClaims, login, opForm, outsideApiRequest, test, tokenRequests, ENGINE_NEUTRAL } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// keycloak-js 26 in generic OpenID Connect mode (oidcProvider), through the vault with JWT-shaped
// placeholders (placeholder: 'jwt'): it decodes the access and the refresh token, which REDACTED
// would break ("Unable to decode token"). Its OP client gets JWT access tokens for the API, as
// Keycloak's are, and opaque refresh tokens: both placeholder shapes.

interface TokenView {
  token?: string;
  tokenParsed?: Record<string, unknown>;
  refreshToken?: string;
  refreshTokenParsed?: Record<string, unknown>;
}

test.describe('example: keycloak-js', () => {
  test('login-required, a readable keycloak.token, API, updateToken(-1) and logout(), all through the vault', async ({ page, context, devHost }) => {
    const example = site(devHost, 'keycloak-js');
    const { op } = devHost.vault.origins;
    // login-required: the page goes to the OP's sign-in by itself.
    await page.goto(`${example.app}/`);
    await page.waitForURL(`${op}/**`);
    await login(page);
    await expect(page.locator('#user')).toHaveText('alice');

    // keycloak.token is the placeholder: the access token's own header and claims, the vault's marker.
    const view = (await run(page, 'token')) as TokenView;
    const held = defined(await stored(page, example));
    const token = defined(view.token);
    expect(token.split('.').slice(0, 2)).toEqual(held.accessToken.split('.').slice(0, 2));
    expect(token.split('.')[2]).toMatch(/^~tvA~/);
    expect(token).not.toBe(held.accessToken);
    expect(view.tokenParsed).toEqual(jwtClaims(held.accessToken));
    expect(view.tokenParsed).toMatchObject({ sub: 'alice', client_id: 'keycloak-js' });
    // The refresh token is opaque at this OP: an unsigned JWT-shaped placeholder with the claims clients read.
    expect(view.refreshTokenParsed).toMatchObject({ iss: op, sub: 'alice', azp: 'keycloak-js' });
    expect(defined(view.refreshToken)).not.toContain(defined(held.refreshToken));
    // Nothing the app origin keeps holds a token.
    const dump = await appOriginDump(page, context);
    expect(dump).not.toContain(held.accessToken);
    expect(dump).not.toContain(defined(held.refreshToken));

    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });

    // updateToken(-1): a forced refresh grant with the refresh placeholder; the answer's placeholders are current.
    const before = tokenRequests(devHost);
    const refreshed = (await run(page, 'refresh')) as unknown as TokenView & { refreshed: boolean };
    expect(refreshed.refreshed).toBe(true);
    expect(tokenRequests(devHost)).toBe(before + 1);
    const rotated = defined(await stored(page, example));
    expect(rotated.accessToken).not.toBe(held.accessToken);
    expect(rotated.refreshToken).not.toBe(held.refreshToken);
    expect(defined(refreshed.token).split('.')[1]).toBe(rotated.accessToken.split('.')[1]);
    expect(refreshed.tokenParsed).toEqual(jwtClaims(rotated.accessToken));
    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });

    // logout(): a navigation to end_session_endpoint; the vault revokes and clears before it leaves.
    await page.evaluate(() => {
      void (window as unknown as { example: { signOut(): Promise<void> } }).example.signOut();
    });
    await page.waitForURL(`${op}/session/end**`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    // Back on the app, login-required sends the page to the OP's sign-in again.
    await page.waitForURL(`${op}/interaction/**`);
    await expect(page.getByLabel('Username')).toBeVisible();
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(rotated.refreshToken), client_id: example.clientId });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  test(
    'a placeholder verifies nowhere: not against the OP’s JWKS, not at the API from outside; the same text elsewhere is never replaced',
    { tag: ENGINE_NEUTRAL },
    async ({ page, devHost }) => {
      const example = site(devHost, 'keycloak-js');
      const { op, api } = devHost.vault.origins;
      await page.goto(`${example.app}/`);
      await page.waitForURL(`${op}/**`);
      await login(page);
      await expect(page.locator('#user')).toHaveText('alice');
      const view = (await run(page, 'token')) as TokenView;
      const placeholder = defined(view.token);
      const held = defined(await stored(page, example));

      // Outside the browser, with the OP's own keys: the real token verifies, its placeholder does not.
      const jwks = await devHost.inject({ method: 'GET', url: '/jwks', headers: { host: new URL(op).host } });
      const keys = createLocalJWKSet(JSON.parse(jwks.body) as JSONWebKeySet);
      await expect(jwtVerify(held.accessToken, keys, { issuer: op })).resolves.toBeTruthy();
      await expect(jwtVerify(placeholder, keys, { issuer: op })).rejects.toThrow();
      await expect(jwtVerify(defined(view.refreshToken), keys)).rejects.toThrow();
      // Script in the app origin sending its placeholder to the API itself, outside the vault: refused.
      expect((await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${placeholder}` })).status).toBe(401);
      expect((await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${held.accessToken}` })).status).toBe(200);

      // Through the vault, the placeholder in a body and a query goes out as it is: only the Authorization header gets the token.
      const echoed = await page.evaluate(
        async ({ api, placeholder }) => {
          const response = await fetch(`${api}/v1/echo?token=${encodeURIComponent(placeholder)}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${placeholder}`, 'content-type': 'text/plain' },
            body: `refresh_token=${placeholder}`,
          });
          return { status: response.status, body: await response.text() };
        },
        { api, placeholder },
      );
      expect(echoed).toEqual({ status: 200, body: `refresh_token=${placeholder}` });

      // A refresh grant carrying the access token's placeholder, or REDACTED, is refused and nothing reaches the OP.
      const before = tokenRequests(devHost);
      for (const value of [placeholder, 'REDACTED']) {
        const refused = await page.evaluate(
          async ({ op, value }) => {
            const response = await fetch(`${op}/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: value, client_id: 'keycloak-js' }),
            });
            return { status: response.status, error: ((await response.json()) as { error: string }).error };
          },
          { op, value },
        );
        expect(refused).toEqual({ status: 400, error: 'TV_INVALID_REQUEST' });
      }
      expect(tokenRequests(devHost)).toBe(before);
      expect(defined(await stored(page, example)).refreshToken).toBe(held.refreshToken);
    },
  );
});
