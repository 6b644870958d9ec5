import { apiCalls, authorizationHash, expect, jwtClaims, pageFetch, proxyFrame, signIn, storedTokens, test, dpopKeyInPage } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// The bearer-only configuration: no rule marked dpop (devHostOptions.dpop false renders the API's
// rule without it). The vault sends no proof, the OP issues bearer tokens, the API takes them.
test.use({ devHostOptions: { dpop: false } });

test('a bearer-only rule: no proof at the token endpoint, unbound tokens, Authorization: Bearer', async ({ page, devHost }) => {
  await signIn(page, devHost);
  const tokenResponse = JSON.parse(defined(await page.locator('#token-response').textContent())) as Record<string, unknown>;
  expect(tokenResponse.token_type).toMatch(/^bearer$/i);
  const stored = await storedTokens(page, devHost);
  expect(jwtClaims(defined(stored).accessToken)).not.toHaveProperty('cnf');
  expect((await proxyFrame(page, devHost).evaluate(dpopKeyInPage)).found).toBe(false);

  expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`Bearer ${defined(stored).accessToken}`)]);
});
