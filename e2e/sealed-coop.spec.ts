import type { Page } from '@playwright/test';
import { PROTOCOL_VERSION } from '@tokenvault/protocol';
import type { FastifyInstance } from 'fastify';
import { appOriginDump, expect, login, openApp, pageFetch, proxyFrame, storedTokens, test } from './fixtures.js';
import { FlowSecrets, appSeen, recordAppOrigin, startRecordedPopupSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// An OP whose pages send Cross-Origin-Opener-Policy: same-origin (as many production login pages
// do): the sign-in window loses window.opener at the OP's first page, and the app's handle to it
// reads `closed` while the user is still signing in. The popup's result then goes to the proxy
// frame over the proxy origin's own channel (BroadcastChannel here; a cookie in WebKit).
test.use({ devHostOptions: { demo: 'sealed', opCoop: true } });

/** The token requests (POST /token) the OP received. */
function tokenPosts(devHost: FastifyInstance): number {
  return devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST').length;
}

/** Starts a popup sign-in from the page (its promise's outcome lands in sealedDemo.events) and returns the window, at the OP. */
async function openSignInWindow(page: Page, devHost: FastifyInstance, options: Record<string, unknown> = {}): Promise<Page> {
  const popup = await startRecordedPopupSignIn(page, options);
  await popup.waitForURL(`${devHost.vault.origins.op}/**`);
  return popup;
}

test.describe('COOP on the OP', () => {
  // A sign-in window across three origins: Firefox took up to 45 s for one on this loaded 2-core machine.
  test.describe.configure({ timeout: 90_000 });

  test('the OP cuts the sign-in window off: window.opener is null there, and a handle to such a window reads closed while it is open', async ({ page, devHost }) => {
    await openApp(page, devHost);
    const response = page.context().waitForEvent('response', (r) => r.url().startsWith(`${devHost.vault.origins.op}/interaction/`));
    const popup = await openSignInWindow(page, devHost);
    expect((await response).headers()['cross-origin-opener-policy']).toBe('same-origin');
    await expect.poll(() => popup.evaluate(() => window.opener === null)).toBe(true);
    // The vault's handle is its own: a window of the test's, opened the same way at an OP page, shows what it reads.
    const [own] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate((url) => {
        (window as unknown as { own: Window | null }).own = window.open(url, 'own', 'popup');
      }, `${devHost.vault.origins.op}/session/end`),
    ]);
    await own.waitForLoadState();
    await expect.poll(() => page.evaluate(() => (window as unknown as { own: Window | null }).own?.closed)).toBe(true);
    expect(own.isClosed()).toBe(false);
  });

  test('popup flow: signs in; the result reaches the proxy frame over the proxy origin’s channel; the window never loads the app; nothing of the flow on the app origin', async ({
    page,
    context,
    devHost,
  }) => {
    const secrets = new FlowSecrets(context, devHost);
    await recordAppOrigin(context, devHost.vault.origins.app);
    await openApp(page, devHost);
    const popup = await openSignInWindow(page, devHost);
    const visited: string[] = [];
    popup.on('framenavigated', (frame) => {
      if (frame === popup.mainFrame()) visited.push(frame.url());
    });
    await expect.poll(() => popup.evaluate(() => window.opener === null)).toBe(true);
    await login(popup);
    await expect(page.locator('#user')).toHaveText('alice', { timeout: 20_000 });
    await expect.poll(() => vaultEvents(page)).toEqual(['ready', 'signed-in', 'signIn() resolved']);
    // The window showed the proxy's own closing words (or closed itself), never a page of the app.
    await expect
      .poll(
        async () =>
          popup.isClosed() ||
          (
            await popup
              .locator('#status')
              .textContent()
              .catch(() => null)
          )?.includes('You can close this window'),
      )
      .toBe(true);
    expect(visited.filter((url) => url.startsWith(devHost.vault.origins.app))).toEqual([]);
    expect(visited.some((url) => url.startsWith(`${devHost.vault.origins.proxy}/callback`))).toBe(true);
    expect(tokenPosts(devHost)).toBe(1);
    const tokens = await storedTokens(page, devHost);
    expect(tokens).not.toBeNull();
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    const appOrigin = (await appOriginDump(page, context)) + (await appSeen(page));
    expect(secrets.foundIn(appOrigin, tokens)).toEqual([]);
  });

  test('redirect flow: signs in (no opener needed)', async ({ page, devHost }) => {
    await openApp(page, devHost);
    await page.evaluate(() => void window.sealedDemo.vault.signIn({ flow: 'redirect', returnTo: '/' }));
    await page.waitForURL(`${devHost.vault.origins.op}/**`);
    await login(page);
    await page.waitForURL(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#user')).toHaveText('alice');
    expect(await storedTokens(page, devHost)).not.toBeNull();
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });

  test("flow 'auto' (the demo's Sign in button): signs in", async ({ page, devHost }) => {
    await openApp(page, devHost);
    // 'auto' is the redirect in Chromium and Firefox (WebKit: the popup, e2e-webkit/sealedCoop.test.ts).
    await page.locator('#sign-in').click();
    await page.waitForURL(`${devHost.vault.origins.op}/**`);
    await login(page);
    await page.waitForURL(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#user')).toHaveText('alice');
    expect((await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
  });

  test('the user closes the cut-off window at the OP: signIn() rejects with TV_SIGN_IN_TIMEOUT at its time limit, not "cancelled"; nothing stored', async ({ page, devHost }) => {
    await openApp(page, devHost);
    const popup = await openSignInWindow(page, devHost, { timeoutMs: 4000 });
    await popup.close();
    await expect.poll(() => vaultEvents(page), { timeout: 15_000 }).toEqual(['ready', 'signIn() rejected TV_SIGN_IN_TIMEOUT']);
    expect(await storedTokens(page, devHost)).toBeNull();
    expect(tokenPosts(devHost)).toBe(0);
  });

  test('a forged hand-over (unknown state; a replayed response; a cookie tossed from the app origin) changes nothing; the real one signs in once', async ({
    page,
    context,
    devHost,
  }) => {
    // Two sign-ins.
    test.setTimeout(120_000);
    const { proxy } = devHost.vault.origins;
    const secrets = new FlowSecrets(context, devHost);
    await openApp(page, devHost);
    // A first sign-in, whose response is replayed below.
    let popup = await openSignInWindow(page, devHost);
    await login(popup);
    await expect.poll(() => vaultEvents(page)).toEqual(['ready', 'signed-in', 'signIn() resolved']);
    const first = defined(secrets.callbacks[0]);
    const replay = new URL(first).search.slice(1);
    const tokensBefore = defined(await storedTokens(page, devHost));

    // A second sign-in (prompt=login: the OP shows its form again): its window is out, the frame reads the cookie now.
    popup = await openSignInWindow(page, devHost, { prompt: 'login' });
    const forged = new URLSearchParams({ code: 'forged-code', state: 'never-issued', iss: devHost.vault.origins.op }).toString();
    // Script on the app origin (same site) tosses hand-over cookies at the proxy origin through the
    // parent domain; each reaches the proxy frame's document (the frame reads them every 250 ms).
    for (const value of [forged, replay]) {
      await page.evaluate((value) => {
        document.cookie = `tokenvault_sign_in=${encodeURIComponent(value)}; Domain=${location.hostname.split('.').slice(1).join('.')}; Path=/`;
      }, value);
      await expect.poll(() => proxyFrame(page, devHost).evaluate(() => document.cookie)).toContain(`tokenvault_sign_in=${encodeURIComponent(value)}`);
    }
    // A page of the proxy origin posts on the hand-over channel (the most a channel message can be).
    const other = await context.newPage();
    await other.goto(`${proxy}/silent-callback`);
    await other.evaluate(
      ([forged, replay, v]) => {
        const channel = new BroadcastChannel('tokenvault:sign-in');
        for (const query of [forged, replay, forged]) channel.postMessage({ v, type: 'authorization-response', query });
        for (const query of [forged, replay]) channel.postMessage({ v, type: 'authorization-response', query: `${query}&x=${'y'.repeat(20_000)}` });
      },
      [forged, replay, PROTOCOL_VERSION] as const,
    );
    // Nothing moved: the real second sign-in completes after them, once.
    await login(popup);
    // The session monitor may renew in between (the new login changed the OP's session_state): that is its own redemption.
    const settled = async (): Promise<string[]> => (await vaultEvents(page)).filter((event) => event !== 'renewed');
    await expect.poll(settled).toEqual(['ready', 'signed-in', 'signIn() resolved', 'signed-in', 'signIn() resolved']);
    // Token POSTs beyond the renewals: the two sign-ins, never a forged or replayed code. A renewal's
    // POST is logged before its event reaches the page, so the count is read until they agree (a
    // redemption of a forged or replayed code would keep it at 3 or more).
    const renewals = async (): Promise<number> => (await vaultEvents(page)).filter((event) => event === 'renewed').length;
    await expect.poll(async () => tokenPosts(devHost) - (await renewals())).toBe(2);
    const tokensAfter = defined(await storedTokens(page, devHost));
    expect(tokensAfter.accessToken).not.toBe(tokensBefore.accessToken);
  });
});
