import { describe, expect, test } from 'vitest';
import { perApiLogoutRevocations, jwtClaims, pageFetch, useWebKit } from './harness.js';
import { apiTokens, expectOneTokenPerApi } from './perApi.js';
import { sealedSignIn } from './sealedSignIn.js';

// One token per API (RFC 8707) in WebKitGTK, sealed mode (the popup sign-in): the dev host's
// perApi setup, as e2e/per-api.spec.ts. Bearer tokens, so that a token can be tried at the other API.

describe('WebKit: one token per API', () => {
  const wk = useWebKit({ demo: 'sealed', perApi: true, dpop: false });

  test('two APIs each get a token with their own audience, never the other’s; userinfo takes the vault’s own; an API the OP refuses answers TV_NO_API_TOKEN; logout revokes all', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const aud = { api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` };
    const { api2: t2 } = await expectOneTokenPerApi(wk);

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
