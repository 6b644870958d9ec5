import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { ownFlowInPage, redeemElsewhere, type Attempt } from '../e2e/attackFixtures.js';
import { apiCalls, appOriginDump, authorizationHash, inTab, jwtClaims, newTab, openApp, pageFetch, storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';
import { sealedSignIn, signInSeenInSecondTab, vaultEvents } from './sealedSignIn.js';

// Sealed mode in WebKitGTK. WebKit partitions the proxy frame's storage by the top-level page, so a
// callback opened at the top level on the proxy origin does not see the frame's store: here the
// vault's default flow is the popup, whose callback hands the code to the opener's proxy frame.

describe('WebKit: sealed sign-in', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('popup flow (the default in WebKit): the real login form, the code handed to the proxy frame, the API called; nothing of it on the app origin', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const tokens = await storedTokens(wk);
    expect(tokens).not.toBeNull();
    expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    const response = await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(tokens).accessToken}`)]);
    const claims = await driver.executeScript<Record<string, unknown>>('return window.sealedDemo.vault.user()');
    expect(claims).toMatchObject({ sub: 'alice', aud: 'sealed' });
    expect(claims.nonce).toBeUndefined();
    const dump = (await appOriginDump(driver)) + JSON.stringify(claims) + (await driver.getCurrentUrl());
    for (const secret of [defined(tokens).accessToken, defined(defined(tokens).refreshToken), defined(defined(tokens).idToken)]) expect(dump).not.toContain(secret);
    expect(await driver.getCurrentUrl()).toBe(`${devHost.vault.origins.app}/`);
  });

  test('logout in one tab is seen in another', async () => {
    const { driver } = wk;
    await sealedSignIn(wk);
    const first = await driver.getWindowHandle();
    await newTab(wk);
    await openApp(wk);
    await expect.poll(() => text(driver, '#user')).toBe('alice');
    await inTab(wk, first, () => driver.executeScript('return window.sealedDemo.vault.signOut({ endSession: false })'));
    await expect.poll(() => vaultEvents(wk)).toContain('signed-out: logout');
    expect(await storedTokens(wk)).toBeNull();
  });

  test('a sign-in in one tab: the other tab’s app gets signed-in and shows the user (e2e/sealed-tabs.spec.ts)', async () => {
    await openApp(wk);
    // The popup flow in the first tab: its proxy frame redeems the code and tells the second tab's
    // over the proxy origin's BroadcastChannel (one partition: the same top-level site).
    await signInSeenInSecondTab(wk);
  });

  test('measured: the redirect flow cannot start here: its one-time ticket sits in the frame’s partition, the top-level /signin does not find it (TV_SIGN_IN_NOT_STARTED), the OP is asked nothing', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    await driver.executeScript("void window.sealedDemo.vault.signIn({ flow: 'redirect', returnTo: '/' })");
    // The proxy frame minted the ticket into its own (partitioned) store; /signin at the top level reads another.
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toBe(`${devHost.vault.origins.app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => vaultEvents(wk).catch(() => []), { timeout: 20_000 }).toContain('error: TV_SIGN_IN_NOT_STARTED');
    expect(devHost.vault.requestLog.find('proxy', '/signin')).toHaveLength(1);
    expect(devHost.vault.requestLog.find('op', '/auth')).toHaveLength(0);
    expect(await storedTokens(wk)).toBeNull();
  });

  test('sign-in CSRF: a page on another site (evil.localhost) sends the browser to /signin (prompt=none): refused (403), no code redeemed, nothing stored changes', async () => {
    const { driver, devHost } = wk;
    const { app, proxy, evil } = devHost.vault.origins;
    await sealedSignIn(wk);
    const accessToken = defined(defined(await storedTokens(wk)).accessToken);
    devHost.vault.requestLog.clear();
    await driver.get(`${evil}/`);
    const forged = `${proxy}/signin?${new URLSearchParams({ prompt: 'none', scope: 'openid', return_to: `${app}/` })}`;
    await driver.executeScript('location.assign(arguments[0])', forged);
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toMatch(new RegExp(`^${proxy}/signin`));
    await expect.poll(async () => (await driver.findElement(By.css('body')).getText()).includes('TV_SIGN_IN_NOT_STARTED'), { timeout: 10_000 }).toBe(true);
    // WebKit sent Fetch Metadata, and the server refused on it.
    expect(devHost.vault.requestLog.find('proxy', '/signin').map((entry) => entry.headers['sec-fetch-site'])).toEqual(['cross-site']);
    expect(devHost.vault.requestLog.find('op', '/auth')).toHaveLength(0);
    expect(devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST')).toHaveLength(0);
    await openApp(wk);
    expect(defined(await storedTokens(wk)).accessToken).toBe(accessToken);
  });

  test('refresh: a token the API refuses is refreshed by the proxy frame, the call answered', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const before = await storedTokens(wk);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    expect(defined(await storedTokens(wk)).accessToken).not.toBe(defined(before).accessToken);
  });

  test('session monitor in the proxy frame: logout at the OP in another tab gives signed-out (session-ended)', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const first = await driver.getWindowHandle();
    await newTab(wk);
    await driver.get(`${devHost.vault.origins.op}/session/end`);
    await driver.findElement(By.css('button[value="yes"]')).click();
    await expect.poll(() => text(driver, 'h1'), { timeout: 10_000 }).toBe('Signed out');
    await driver.switchTo().window(first);
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('signed-out: session-ended');
    expect(await storedTokens(wk)).toBeNull();
  });

  test('the attack: app-origin script runs its own prompt=none flow with every redirect URI; a Node script redeems what it read: no token', async () => {
    const { driver, devHost } = wk;
    const { app, proxy, op } = devHost.vault.origins;
    await sealedSignIn(wk);
    const before = await storedTokens(wk);
    const redirectUris = [`${proxy}/callback`, `${proxy}/silent-callback`, `${app}/callback`, `${app}/silent-callback.html`];
    await driver.manage().setTimeouts({ script: 60_000 });
    const loot = await driver.executeAsyncScript<{ attempts: Attempt[]; received: string[] }>(
      `const done = arguments[arguments.length - 1]; (${ownFlowInPage.toString()})(arguments[0]).then(done, (e) => done({ attempts: [], received: [String(e)] }));`,
      { op, clientId: 'sealed', redirectUris, scope: 'openid profile api' },
    );
    expect(loot.attempts.length).toBe(redirectUris.length * 2);
    expect(loot.attempts.flatMap((attempt) => attempt.read).filter((href) => href.includes('code='))).toEqual([]);
    expect(await redeemElsewhere(devHost, 'sealed', loot)).toEqual([]);
    // The OP answered with codes, to the proxy's callback only (where they were refused).
    const issued = devHost.vault.requestLog.find('proxy', '/callback');
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(defined(await storedTokens(wk)).accessToken).toBe(defined(before).accessToken);
  }, 120_000);

  test('a callback with an unknown state, and a returnTo outside the app origins: typed errors on the app, nothing stored', async () => {
    const { driver, devHost } = wk;
    const { app, proxy, evil } = devHost.vault.origins;
    await driver.get(`${proxy}/callback?code=forged&state=never-issued`);
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toBe(`${app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => vaultEvents(wk)).toContain('error: TV_INVALID_STATE');
    // The proxy frame refuses it before minting the sign-in's ticket: signIn() rejects, the tab stays.
    const outcome = await driver.executeAsyncScript<string>(
      `const done = arguments[arguments.length - 1]; window.sealedDemo.vault.signIn({ flow: 'redirect', returnTo: arguments[0] }).then(() => done('resolved'), (err) => done(err.code))`,
      `${evil}/`,
    );
    expect(outcome).toBe('TV_RETURN_TO_REJECTED');
    expect(await driver.getCurrentUrl()).toBe(`${app}/`);
    expect(await storedTokens(wk)).toBeNull();
    expect(devHost.vault.requestLog.find('op', '/auth')).toHaveLength(0);
  });
});
