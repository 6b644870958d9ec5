import { describe, expect, test } from 'vitest';
import { apiCalls, authorizationHash, jwtClaims, pageFetch, signIn, storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/dpop-bearer-only.spec.ts in WebKitGTK: no rule marked dpop, bearer tokens as before.
describe('WebKit: a bearer-only rule', () => {
  const wk = useWebKit({ dpop: false });

  test('no proof at the token endpoint, unbound tokens, Authorization: Bearer', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const response = JSON.parse(defined(await text(driver, '#token-response'))) as { token_type: string };
    expect(response.token_type).toMatch(/^bearer$/i);
    const stored = await storedTokens(wk);
    expect(jwtClaims(defined(stored).accessToken)).not.toHaveProperty('cnf');
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`Bearer ${defined(stored).accessToken}`)]);
  });
});
