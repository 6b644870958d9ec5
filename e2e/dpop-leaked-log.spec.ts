import { apiCalls, expect, outsideApiRequest, outsideProof, signIn, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// The dev host's API here keeps raw credential headers in its request log, as a careless server's
// access log would (leakyRequestLog: a test-only option; by default it keeps hashes only).
test.use({ devHostOptions: { leakyRequestLog: true } });

test('an access token copied out of the API request log cannot be used by a script outside the browser', async ({ page, devHost }) => {
  await signIn(page, devHost);
  await page.locator('#call-api').click();
  await expect(page.locator('#api-response')).toContainText('Hello, alice');

  // What a reader of the log finds: the Authorization header and the proof that went with it.
  const logged = defined(apiCalls(devHost, '/v1/profile')[0].raw);
  expect(logged.authorization).toMatch(/^DPoP eyJ/);
  const accessToken = defined(logged.authorization).slice('DPoP '.length);
  const url = `${devHost.vault.origins.api}/v1/profile`;

  // A Node script tries every way in: as a bearer token, with its own key's proof, with the logged
  // proof replayed, and with the logged proof on another endpoint.
  const attempts = {
    bearer: await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${accessToken}` }),
    ownKey: await outsideApiRequest(devHost, '/v1/profile', { authorization: defined(logged.authorization), dpop: await outsideProof(url, accessToken) }),
    replayedProof: await outsideApiRequest(devHost, '/v1/profile', { authorization: defined(logged.authorization), dpop: defined(logged.dpop) }),
    proofElsewhere: await outsideApiRequest(devHost, '/v1/items', { authorization: defined(logged.authorization), dpop: defined(logged.dpop) }),
  };
  expect(Object.fromEntries(Object.entries(attempts).map(([name, r]) => [name, r.status]))).toEqual({ bearer: 401, ownKey: 401, replayedProof: 401, proofElsewhere: 401 });
  expect(attempts.replayedProof.wwwAuthenticate).toMatch(/used before/);
  expect(attempts.proofElsewhere.wwwAuthenticate).toMatch(/htu|used before/);
  // No request of the script got any data.
  expect(Object.values(attempts).every((r) => !r.body.includes('alice'))).toBe(true);
});
