import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { READ_TOKENS, clickEnabled, login, opForm, pageFetch, text, tokenRequests, useWebKit, type StoredTokens, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

// e2e/examples.spec.ts in WebKitGTK, for the oidc-client-ts example: its own calls, through the vault.
const NAME = 'oidc-client-ts';

async function run(wk: WebKitContext, action: string): Promise<Record<string, unknown>> {
  return wk.driver.executeScript<Record<string, unknown>>(`return window.example[arguments[0]]().then((result) => JSON.parse(JSON.stringify(result ?? null)))`, action);
}

async function stored(wk: WebKitContext, proxy: string): Promise<StoredTokens | null> {
  const frames = await wk.driver.findElements(By.css(`iframe[src^="${proxy}/"]`));
  if (frames.length !== 1) throw new Error(`expected one proxy frame, found ${frames.length}`);
  await wk.driver.switchTo().frame(frames[0]);
  try {
    return await wk.driver.executeScript<StoredTokens | null>(READ_TOKENS);
  } finally {
    await wk.driver.switchTo().defaultContent();
  }
}

describe(`WebKit: the ${NAME} example`, () => {
  const wk = useWebKit();

  test('sign-in, API, refresh, userinfo, session status, revocation and sign-out, all through the vault', async () => {
    const { driver, devHost } = wk;
    const example = defined(devHost.vault.examples.find((site) => site.name === NAME));
    const { op, api } = devHost.vault.origins;
    await driver.get(`${example.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await clickEnabled(driver, 'sign-in');
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${op}/interaction/`));
    await login(driver);
    await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');

    expect(await run(wk, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });
    const before = tokenRequests(devHost);
    expect(await run(wk, 'refresh')).toMatchObject({ access_token: 'REDACTED' });
    expect(tokenRequests(devHost)).toBe(before + 1);
    expect(await run(wk, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    const scope = defined(await stored(wk, example.proxy)).scope;
    expect(await run(wk, 'sessionStatus')).toMatchObject({ sub: 'alice' });
    expect(defined(await stored(wk, example.proxy)).scope).toBe(scope);
    expect(await run(wk, 'callApi')).toMatchObject({ status: 200 });

    // Sign-out with revokeTokensOnSignout: the refresh token revoked through the vault, the OP session ended.
    const last = defined(await stored(wk, example.proxy));
    await clickEnabled(driver, 'sign-out');
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${op}/session/end`));
    await driver.findElement(By.css('button[name=logout][value=yes]')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toBe(`${example.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => text(driver, '#user')).toBe('signed out');
    expect(await stored(wk, example.proxy)).toBeNull();
    const response = await pageFetch(driver, `${api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(last.refreshToken), client_id: example.clientId });
    expect(refresh.body.error).toBe('invalid_grant');
    console.log(`WebKit Navigation API: ${await driver.executeScript<string>('return typeof navigation')}`);
  }, 90_000);
});
