import type { FastifyInstance } from 'fastify';
import type { Page } from '@playwright/test';
import {
  apiCalls,
  appOriginDump,
  authorizationHash,
  cryptoKeysInPage,
  deleteDpopKeyInPage,
  dpopKeyInPage,
  expect,
  jwtClaims,
  login,
  openApp,
  outsideApiRequest,
  outsideProof,
  pageFetch,
  proxyFrame,
  signIn,
  storedTokens,
  test,
  tokenRequests,
  ENGINE_NEUTRAL,
} from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// DPoP (RFC 9449): the demo's API rule is marked dpop, so the vault proves possession of a key
// that lives in the proxy origin only, the OP binds the tokens to it and the API checks the binding.

const profile = (devHost: FastifyInstance): string => `${devHost.vault.origins.api}/v1/profile`;
const jkt = (accessToken: string): unknown => (jwtClaims(accessToken).cnf as { jkt?: unknown } | undefined)?.jkt;
const proxyKey = (page: Page, devHost: FastifyInstance) => proxyFrame(page, devHost).evaluate(dpopKeyInPage);

test.describe('DPoP: tokens bound to a key that never leaves the proxy origin', () => {
  test('sign-in yields DPoP-bound tokens: cnf.jkt is the thumbprint of the key in the proxy origin, the refresh token is bound too', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const tokenResponse = JSON.parse(defined(await page.locator('#token-response').textContent())) as Record<string, unknown>;
    expect(tokenResponse.token_type).toMatch(/^dpop$/i);

    const stored = await storedTokens(page, devHost);
    const key = await proxyKey(page, devHost);
    expect(key.found).toBe(true);
    expect(key.thumbprint).toMatch(/^[\w-]{43}$/);
    // Server side: the OP's own records say the grant is bound to the vault's key.
    expect(jkt(defined(stored).accessToken)).toBe(key.thumbprint);
    const refreshToken = await devHost.vault.provider.RefreshToken.find(defined(defined(stored).refreshToken));
    expect(refreshToken?.jkt).toBe(key.thumbprint);
  });

  test('API calls succeed with proofs made in the proxy, as Authorization: DPoP', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await page.locator('#call-api').click();
    await expect(page.locator('#api-response')).toContainText('Hello, alice');
    await page.locator('#call-api-channel').click();
    await expect(page.locator('#api-response')).toContainText('"status": 200');

    const stored = await storedTokens(page, devHost);
    const calls = apiCalls(devHost, '/v1/profile');
    expect(calls.map((call) => call.authorization?.sha256)).toEqual([
      authorizationHash(`DPoP ${defined(stored).accessToken}`),
      authorizationHash(`DPoP ${defined(stored).accessToken}`),
    ]);
    expect(calls.map((call) => call.headers.origin)).toEqual([devHost.vault.origins.proxy, devHost.vault.origins.proxy]);
    // The dev host's normal log keeps no credential in clear.
    expect(calls.every((call) => call.raw === undefined)).toBe(true);
    expect(JSON.stringify(devHost.vault.requestLog.entries)).not.toContain(defined(stored).accessToken);
  });

  test('the token replayed as a bearer, without a proof, or with a proof from another key is refused by the API', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    // Whoever got hold of the token (here: read out of the proxy's own storage by the test).
    const { accessToken } = defined(await storedTokens(page, devHost));
    const asBearer = await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${accessToken}` });
    const noProof = await outsideApiRequest(devHost, '/v1/profile', { authorization: `DPoP ${accessToken}` });
    const otherKey = await outsideApiRequest(devHost, '/v1/profile', { authorization: `DPoP ${accessToken}`, dpop: await outsideProof(profile(devHost), accessToken) });
    expect([asBearer.status, noProof.status, otherKey.status]).toEqual([401, 401, 401]);
    expect(asBearer.wwwAuthenticate).toMatch(/DPoP error="invalid_token"/);
    expect(noProof.wwwAuthenticate).toMatch(/DPoP error="invalid_dpop_proof"/);
    expect(otherKey.wwwAuthenticate).toMatch(/another key/);
    // The same token through the vault still works: the refusals were about the key, not the token.
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);
  });

  test('the key is non-extractable (exportKey fails in the proxy frame) and absent from every app-origin store', async ({ page, context, devHost }) => {
    await signIn(page, devHost);
    const key = await proxyKey(page, devHost);
    expect(key.extractable).toBe(false);
    expect(key.exports).toEqual({ jwk: 'InvalidAccessError', pkcs8: 'InvalidAccessError' });
    // The search finds the key pair where it is…
    expect(await proxyFrame(page, devHost).evaluate(cryptoKeysInPage)).toBe(2);
    // …and no key in any store of the app origin, nor the thumbprint anywhere the app could read.
    expect(await page.evaluate(cryptoKeysInPage)).toBe(0);
    expect(await appOriginDump(page, context)).not.toContain(defined(key.thumbprint));
  });

  test('refresh keeps the binding: the new tokens are bound to the same key', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const grants = tokenRequests(devHost);
    // The API's operator denies this access token: the vault refreshes once (with a proof) and retries.
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);

    const after = await storedTokens(page, devHost);
    expect(tokenRequests(devHost)).toBe(grants + 1);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    expect(jkt(defined(after).accessToken)).toBe(jkt(defined(before).accessToken));
    expect((await devHost.vault.provider.RefreshToken.find(defined(defined(after).refreshToken)))?.jkt).toBe(jkt(defined(before).accessToken));
  });

  test('a reload keeps working: the same key, read back from IndexedDB, still signs', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const before = await proxyKey(page, devHost);
    await page.reload();
    await expect(page.locator('#status')).toHaveText('ready');
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);
    expect((await proxyKey(page, devHost)).thumbprint).toBe(before.thumbprint);
  });

  test('logout deletes the key; the next sign-in makes a new one', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const first = await proxyKey(page, devHost);
    await page.evaluate(() => window.demo.vault.logout({ endSession: false }));
    await expect(page.locator('#user')).toHaveText('signed out');
    expect((await proxyKey(page, devHost)).found).toBe(false);
    expect(await proxyFrame(page, devHost).evaluate(cryptoKeysInPage)).toBe(0);

    // The OP session is still there: signing in again needs no password.
    await page.locator('#sign-in').click();
    await expect(page.locator('#token-response')).toContainText('"access_token": "REDACTED"');
    const second = await proxyKey(page, devHost);
    expect(second.found).toBe(true);
    expect(second.thumbprint).not.toBe(first.thumbprint);
    expect(jkt(defined(await storedTokens(page, devHost)).accessToken)).toBe(second.thumbprint);
  });

  test('a lost key (storage cleared under the tokens) is a clean sign-out with TV_DPOP_KEY_LOST, never a bearer fallback', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await proxyFrame(page, devHost).evaluate(deleteDpopKeyInPage);
    await page.reload();
    await expect(page.locator('#status')).toHaveText('ready');
    devHost.vault.requestLog.clear();

    const response = await pageFetch(page, profile(devHost));
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_DPOP_KEY_LOST' });
    await expect(page.locator('#events')).toContainText('signed-out');
    expect(await storedTokens(page, devHost)).toBeNull();
    expect(apiCalls(devHost, '/v1/')).toHaveLength(0);
    const next = await pageFetch(page, profile(devHost));
    expect(JSON.parse(next.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
  });
});

test.describe('DPoP nonces: a challenge is answered once, never looped', () => {
  test('the OP demands a nonce: the code exchange is retried once with it and succeeds', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    devHost.vault.op.dpopNonce = 'require';
    await signIn(page, devHost);
    // The first proof had no nonce (use_dpop_nonce), the second had the OP's.
    expect(tokenRequests(devHost)).toBe(2);
    // The OP's nonce is kept for the next request to it: the refresh needs no new challenge.
    const before = await storedTokens(page, devHost);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);
    expect(tokenRequests(devHost)).toBe(3);
  });

  test('an OP that challenges every proof gets two token requests, and the app an error', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    devHost.vault.op.dpopNonce = 'always';
    await openApp(page, devHost);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${devHost.vault.origins.op}/**`);
    await login(page);
    // The OP's second challenge reaches the app as the OP's error answer (oauth4webapi reports it).
    await expect(page.locator('#error')).toContainText('OAUTH_RESPONSE_BODY_ERROR');
    expect(tokenRequests(devHost)).toBe(2);
    expect(await storedTokens(page, devHost)).toBeNull();
    expect((await proxyKey(page, devHost)).found).toBe(false);
  });

  test('the API demands a nonce: the call is retried once with it, and the next call uses it at once', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    devHost.vault.api.dpop.nonceMode = 'require';
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(2);
    expect((await pageFetch(page, profile(devHost))).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(3);
  });

  test('an API that challenges every proof gets two requests and no refresh; the app sees its 401', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    devHost.vault.api.dpop.nonceMode = 'always';
    const grants = tokenRequests(devHost);
    const response = await pageFetch(page, profile(devHost));
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/use_dpop_nonce/);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(2);
    expect(tokenRequests(devHost)).toBe(grants);
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });
});
