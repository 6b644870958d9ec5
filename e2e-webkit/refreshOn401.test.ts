import { describe, expect, test } from 'vitest';
import { apiCalls, authorizationHash, jwtClaims, opForm, pageFetch, signIn, storedTokens, text, tokenRequests, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/refresh-on-401.spec.ts in WebKitGTK, checked against what the API and the OP received.
describe('WebKit: refresh on 401', () => {
  const wk = useWebKit();

  test('a token the API refuses is refreshed once and the request retried', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const before = await storedTokens(wk);
    // The API's operator revokes this access token (by its jti): it is valid-looking but refused.
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));

    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);

    const after = await storedTokens(wk);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    const calls = apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256);
    expect(calls).toEqual([authorizationHash(`DPoP ${defined(before).accessToken}`), authorizationHash(`DPoP ${defined(after).accessToken}`)]);
  });

  test('a second 401 after the refresh is the API’s answer, not a loop', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const before = await storedTokens(wk);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    // Deny whatever token the refresh brings too.
    const denyNew = (token: { jti: string }): void => void devHost.vault.api.deniedJti.add(token.jti);
    devHost.vault.provider.on('access_token.issued', denyNew);
    const grants = tokenRequests(devHost);

    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`).finally(() => devHost.vault.provider.off('access_token.issued', denyNew));
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: 'invalid_token' });
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(2);
    expect(tokenRequests(devHost)).toBe(grants + 1);
  });

  test('a revoked refresh token clears the vault and answers TV_REFRESH_FAILED', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const before = await storedTokens(wk);
    const revoked = await opForm(devHost, '/token/revocation', { token: defined(defined(before).refreshToken), token_type_hint: 'refresh_token', client_id: 'demo' });
    expect(revoked.status).toBe(200);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    const grants = tokenRequests(devHost);

    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_REFRESH_FAILED' });
    // One refresh was tried, and the OP refused it; the API saw only the old token.
    expect(tokenRequests(devHost)).toBe(grants + 1);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(before).accessToken}`)]);
    expect(await storedTokens(wk)).toBeNull();
    await expect.poll(() => text(driver, '#events')).toContain('signed-out');
    await expect.poll(() => text(driver, '#user')).toBe('signed out');

    const next = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(next.status).toBe(401);
    expect(JSON.parse(next.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    // Nothing reached the API without a token.
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(1);
  });
});
