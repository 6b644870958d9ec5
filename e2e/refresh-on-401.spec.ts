import { apiCalls, authorizationHash, expect, jwtClaims, opForm, pageFetch, signIn, storedTokens, test, tokenRequests, ENGINE_NEUTRAL } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

test.describe('refresh on 401', () => {
  test('a token the API refuses is refreshed once and the request retried', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    // The API's operator revokes this access token (by its jti): it is valid-looking but refused.
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));

    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);

    const after = await storedTokens(page, devHost);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    const calls = apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256);
    expect(calls).toEqual([authorizationHash(`DPoP ${defined(before).accessToken}`), authorizationHash(`DPoP ${defined(after).accessToken}`)]);
  });

  test('a second 401 after the refresh is the API’s answer, not a loop', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    // Deny whatever token the refresh brings too.
    const denyNew = (token: { jti: string }) => devHost.vault.api.deniedJti.add(token.jti);
    devHost.vault.provider.on('access_token.issued', denyNew);
    const grants = tokenRequests(devHost);

    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`).finally(() => devHost.vault.provider.off('access_token.issued', denyNew));
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: 'invalid_token' });
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(2);
    expect(tokenRequests(devHost)).toBe(grants + 1);
  });

  test('a revoked refresh token clears the vault and answers TV_REFRESH_FAILED', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const revoked = await opForm(devHost, '/token/revocation', { token: defined(defined(before).refreshToken), token_type_hint: 'refresh_token', client_id: 'demo' });
    expect(revoked.status).toBe(200);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));

    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_REFRESH_FAILED' });
    expect(await storedTokens(page, devHost)).toBeNull();
    await expect(page.locator('#events')).toContainText('signed-out');
    await expect(page.locator('#user')).toHaveText('signed out');

    const next = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(next.status).toBe(401);
    expect(JSON.parse(next.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
  });
});
