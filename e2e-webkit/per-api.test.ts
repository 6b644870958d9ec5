import { describe, expect, test } from 'vitest';
import { apiTokensInPage, type ApiTokens } from '../e2e/inPage.js';
import { authorizationHash, perApiLogoutRevocations, profileAuthorizations, inProxyFrame, jwtClaims, pageFetch, storedTokens, useWebKit, type WebKitContext } from './harness.js';
import { sealedSignIn } from './sealedSignIn.js';
import { defined } from '@tokenvault/test-support';

// One token per API (RFC 8707) in WebKitGTK, sealed mode (the popup sign-in): the dev host's
// perApi setup, as e2e/per-api.spec.ts. Bearer tokens, so that a token can be tried at the other API.

const apiTokens = (wk: WebKitContext): Promise<ApiTokens> => inProxyFrame(wk, () => wk.driver.executeScript<ApiTokens>(`return (${apiTokensInPage.toString()})();`));

describe('WebKit: one token per API', () => {
  const wk = useWebKit({ demo: 'sealed', perApi: true, dpop: false });

  test('two APIs each get a token with their own audience, never the other’s; userinfo takes the vault’s own; an API the OP refuses answers TV_NO_API_TOKEN; logout revokes all', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const aud = { api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` };
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    expect((await pageFetch(driver, `${devHost.vault.origins.api2}/v1/profile`)).status).toBe(200);
    const held = await apiTokens(wk);
    const t1 = defined(held[aud.api]).accessToken;
    const t2 = defined(held[aud.api2]).accessToken;
    expect([jwtClaims(t1).aud, jwtClaims(t2).aud]).toEqual([aud.api, aud.api2]);
    expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${t1}`)]);
    expect(profileAuthorizations(devHost, 'api2')).toEqual([authorizationHash(`Bearer ${t2}`)]);
    const userinfo = await pageFetch(driver, `${devHost.vault.origins.op}/me`);
    expect(userinfo.status).toBe(200);
    expect(defined(await storedTokens(wk)).accessToken.includes('.')).toBe(false);

    // The OP stops issuing tokens for api2: a new token for it (its held one refused) is TV_NO_API_TOKEN, the rest stays.
    devHost.vault.op.refusedResources.add(aud.api2);
    devHost.vault.api.deniedJti.add(String(jwtClaims(t2).jti));
    try {
      const refused = await pageFetch(driver, `${devHost.vault.origins.api2}/v1/profile`);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text)).toMatchObject({ error: 'TV_NO_API_TOKEN' });
      expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    } finally {
      devHost.vault.op.refusedResources.clear();
    }

    const result = await driver.executeScript<{ revocations: unknown[] }>('return window.sealedDemo.vault.logout({ endSession: false })');
    expect(result.revocations).toEqual(perApiLogoutRevocations(devHost));
    expect(await apiTokens(wk)).toEqual({});
  });
});
