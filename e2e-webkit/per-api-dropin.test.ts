import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { apiTokensInPage, type ApiTokens } from '../e2e/inPage.js';
import { READ_TOKENS, clickEnabled, authorizationHash, jwtClaims, login, text, useWebKit, type StoredTokens, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/per-api-dropin.spec.ts in WebKitGTK: oidc-client-ts (examples/oidc-client-ts) with
// `loadUserInfo: true` against the perApi dev host, whose APIs get JWT access tokens of their own
// and whose userinfo takes the OP's own opaque token.
const NAME = 'oidc-client-ts';

async function run(wk: WebKitContext, action: string): Promise<Record<string, unknown>> {
  return wk.driver.executeScript<Record<string, unknown>>(`return window.example[arguments[0]]().then((result) => JSON.parse(JSON.stringify(result ?? null)))`, action);
}

async function inExampleProxy<T>(wk: WebKitContext, proxy: string, script: string): Promise<T> {
  const frames = await wk.driver.findElements(By.css(`iframe[src^="${proxy}/"]`));
  if (frames.length !== 1) throw new Error(`expected one proxy frame, found ${frames.length}`);
  await wk.driver.switchTo().frame(frames[0]);
  try {
    return await wk.driver.executeScript<T>(script);
  } finally {
    await wk.driver.switchTo().defaultContent();
  }
}

describe('WebKit: one token per API, drop-in (oidc-client-ts, loadUserInfo)', () => {
  const wk = useWebKit({ demo: 'drop-in', perApi: true, dpop: false });

  test('oidc-client-ts with loadUserInfo: sign-in and signinSilent load the profile from userinfo with the OP’s token; the API gets its own JWT', async () => {
    const { driver, devHost } = wk;
    const example = defined(devHost.vault.examples.find((site) => site.name === NAME));
    const aud = `${devHost.vault.origins.api}/`;
    const userinfoCalls = () =>
      devHost.vault.requestLog
        .find('op', '/me')
        .filter((entry) => entry.method !== 'OPTIONS')
        .map((entry) => entry.authorization?.sha256);
    await driver.get(`${example.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await clickEnabled(driver, 'sign-in');
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/interaction/`));
    await login(driver);
    await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');

    const signedIn = defined(await inExampleProxy<StoredTokens | null>(wk, example.proxy, READ_TOKENS));
    expect(signedIn.accessToken.includes('.')).toBe(false);
    expect(jwtClaims(defined(signedIn.idToken)).name).toBeUndefined();
    expect(await run(wk, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    expect(userinfoCalls()).toEqual([authorizationHash(`Bearer ${signedIn.accessToken}`)]);

    expect(await run(wk, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice', aud } });
    const held = await inExampleProxy<ApiTokens>(wk, example.proxy, `return (${apiTokensInPage.toString()})();`);
    expect(jwtClaims(defined(held[aud]).accessToken).aud).toBe(aud);

    devHost.vault.requestLog.clear();
    expect(await run(wk, 'refresh')).toMatchObject({ access_token: 'REDACTED' });
    const refreshed = defined(await inExampleProxy<StoredTokens | null>(wk, example.proxy, READ_TOKENS));
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    expect(userinfoCalls()).toEqual([authorizationHash(`Bearer ${refreshed.accessToken}`)]);
    expect(await run(wk, 'callApi')).toMatchObject({ status: 200, body: { aud } });
  }, 120_000);

  test('a library’s code exchange naming an API: its token goes into that API’s slot, the sign-in’s own is the OP’s, userinfo still loads', async () => {
    const { driver, devHost } = wk;
    const example = defined(devHost.vault.examples.find((site) => site.name === NAME));
    const aud = `${devHost.vault.origins.api}/`;
    const grants: string[] = [];
    devHost.vault.provider.on('grant.success', (ctx) => {
      const resource = ctx.oidc.params?.resource;
      grants.push(typeof resource === 'string' ? resource : '');
    });
    await driver.get(`${example.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await clickEnabled(driver, 'sign-in-api');
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
    // The OP session of the test before may still be there: then no login form.
    if ((await driver.getCurrentUrl()).includes('/interaction/')) await login(driver);
    await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
    expect(grants).toEqual([aud, '']);
    const held = await inExampleProxy<ApiTokens>(wk, example.proxy, `return (${apiTokensInPage.toString()})();`);
    expect(jwtClaims(defined(held[aud]).accessToken).aud).toBe(aud);
    expect(defined(await inExampleProxy<StoredTokens | null>(wk, example.proxy, READ_TOKENS)).accessToken.includes('.')).toBe(false);
    expect(await run(wk, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    expect(await run(wk, 'callApi')).toMatchObject({ status: 200, body: { aud } });
    expect(grants).toHaveLength(2);
  }, 120_000);
});
