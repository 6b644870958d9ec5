import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { cryptoKeysInPage, deleteDpopKeyInPage, dpopKeyInPage, type DpopKeyFacts } from '../e2e/inPage.js';
import { outsideApiRequest, outsideProof } from '../e2e/outsideBrowser.js';
import {
  apiCalls,
  appOriginDump,
  authorizationHash,
  inProxyFrame,
  jwtClaims,
  login,
  openApp,
  pageFetch,
  signIn,
  storedTokens,
  text,
  tokenRequests,
  useWebKit,
  type WebKitContext,
} from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/dpop.spec.ts in WebKitGTK: the key in the proxy frame's (partitioned) IndexedDB, proofs
// made there, checked by the dev host's OP and API.
const KEY_FACTS = `return (${dpopKeyInPage.toString()})();`;
const CRYPTO_KEYS = `return (${cryptoKeysInPage.toString()})();`;
const DELETE_KEY = `return (${deleteDpopKeyInPage.toString()})();`;

const proxyKey = (wk: WebKitContext): Promise<DpopKeyFacts> => inProxyFrame(wk, () => wk.driver.executeScript<DpopKeyFacts>(KEY_FACTS));
const jkt = (accessToken: string): unknown => (jwtClaims(accessToken).cnf as { jkt?: unknown } | undefined)?.jkt;

describe('WebKit: DPoP, a key that never leaves the proxy origin', () => {
  const wk = useWebKit();
  const profile = (): string => `${wk.devHost.vault.origins.api}/v1/profile`;

  test('sign-in yields DPoP-bound tokens, and API calls succeed with proofs made in the proxy', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const stored = await storedTokens(wk);
    const key = await proxyKey(wk);
    expect(key.found).toBe(true);
    expect(jkt(defined(stored).accessToken)).toBe(key.thumbprint);
    expect((await devHost.vault.provider.RefreshToken.find(defined(defined(stored).refreshToken)))?.jkt).toBe(key.thumbprint);

    await driver.findElement(By.id('call-api')).click();
    await expect.poll(() => text(driver, '#api-response')).toContain('Hello, alice');
    const calls = apiCalls(devHost, '/v1/profile');
    expect(calls.map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(stored).accessToken}`)]);
  });

  test('the token replayed as a bearer, or with a proof from another key, is refused by the API', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const { accessToken } = defined(await storedTokens(wk));
    const asBearer = await outsideApiRequest(devHost, '/v1/profile', { authorization: `Bearer ${accessToken}` });
    const otherKey = await outsideApiRequest(devHost, '/v1/profile', { authorization: `DPoP ${accessToken}`, dpop: await outsideProof(profile(), accessToken) });
    expect([asBearer.status, otherKey.status]).toEqual([401, 401]);
    expect(otherKey.wwwAuthenticate).toMatch(/another key/);
    expect((await pageFetch(driver, profile())).status).toBe(200);
  });

  test('the key is non-extractable and absent from every app-origin store', async () => {
    const { driver } = wk;
    await signIn(wk);
    const key = await proxyKey(wk);
    expect(key.extractable).toBe(false);
    expect(Object.values(key.exports)).not.toContain('exported');
    expect(Object.keys(key.exports)).toEqual(['jwk', 'pkcs8']);
    expect(await inProxyFrame(wk, () => driver.executeScript<number>(CRYPTO_KEYS))).toBe(2);
    expect(await driver.executeScript<number>(CRYPTO_KEYS)).toBe(0);
    expect(await appOriginDump(driver)).not.toContain(defined(key.thumbprint));
  });

  test('nonce challenges from the OP and from the API are answered once, not looped', async () => {
    const { driver, devHost } = wk;
    devHost.vault.op.dpopNonce = 'require';
    await signIn(wk);
    expect(tokenRequests(devHost)).toBe(2);

    devHost.vault.api.dpop.nonceMode = 'require';
    expect((await pageFetch(driver, profile())).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(2);

    devHost.vault.api.dpop.nonceMode = 'always';
    const grants = tokenRequests(devHost);
    expect((await pageFetch(driver, profile())).status).toBe(401);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(4);
    expect(tokenRequests(devHost)).toBe(grants);
  });

  test('an OP that challenges every proof gets two token requests, and nothing is stored', async () => {
    const { driver, devHost } = wk;
    devHost.vault.op.dpopNonce = 'always';
    await openApp(wk);
    await driver.findElement(By.id('sign-in')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
    await login(driver);
    await expect.poll(() => text(driver, '#error'), { timeout: 20_000 }).toContain('OAUTH_RESPONSE_BODY_ERROR');
    expect(tokenRequests(devHost)).toBe(2);
    expect(await storedTokens(wk)).toBeNull();
  });

  test('refresh keeps the binding; a reload keeps working with the same key', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const before = await storedTokens(wk);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    expect((await pageFetch(driver, profile())).status).toBe(200);
    const after = await storedTokens(wk);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    expect(jkt(defined(after).accessToken)).toBe(jkt(defined(before).accessToken));

    await driver.navigate().refresh();
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    expect((await pageFetch(driver, profile())).status).toBe(200);
    expect((await proxyKey(wk)).thumbprint).toBe(jkt(defined(before).accessToken));
  });

  test('logout deletes the key', async () => {
    const { driver } = wk;
    await signIn(wk);
    expect((await proxyKey(wk)).found).toBe(true);
    await driver.executeScript('return window.demo.vault.logout({ endSession: false })');
    await expect.poll(() => text(driver, '#user')).toBe('signed out');
    expect((await proxyKey(wk)).found).toBe(false);
    expect(await inProxyFrame(wk, () => driver.executeScript<number>(CRYPTO_KEYS))).toBe(0);
  });

  test('a lost key is a clean sign-out with TV_DPOP_KEY_LOST', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    await inProxyFrame(wk, () => driver.executeScript(DELETE_KEY));
    await driver.navigate().refresh();
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    devHost.vault.requestLog.clear();
    const response = await pageFetch(driver, profile());
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_DPOP_KEY_LOST' });
    expect(await storedTokens(wk)).toBeNull();
    expect(apiCalls(devHost, '/v1/')).toHaveLength(0);
  });
});
