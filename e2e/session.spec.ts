import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, login, sessionEvents, signIn, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';
import { otherAppAuthorizeUrl } from './otherApp.js';

// Short checks so that "several intervals" take a few seconds.
test.use({ devHostOptions: { sessionCheckIntervalMs: 500 } });

/** Waits until the monitor has answered `unchanged` `count` more times, and returns the event count at the start. */
async function settled(page: Page, count = 1): Promise<number> {
  const start = (await sessionEvents(page)).length;
  await expect.poll(async () => (await sessionEvents(page)).slice(start).filter((e) => e === 'unchanged').length).toBeGreaterThanOrEqual(count);
  return start;
}

/**
 * Headless Chromium has no hidden tabs (every Playwright page reports "visible", and minimising a
 * window changes nothing), so the page's visibility is emulated: the property the monitor reads,
 * and the event the browser would fire.
 */
async function emulateVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** Counts, in the app page, the messages that claim to be a check answer other than "unchanged". */
async function probeForgedAnswers(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    (window as unknown as { forged: number }).forged = 0;
    window.addEventListener('message', (event) => {
      if (event.data === 'changed' || event.data === 'error') (window as unknown as { forged: number }).forged++;
    });
  });
  return () => page.evaluate(() => (window as unknown as { forged: number }).forged);
}

function tokenRequests(devHost: FastifyInstance) {
  // POSTs only: the DPoP header makes the browser send a CORS preflight first.
  return devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.path === '/token' && entry.method === 'POST');
}

function authorizationRequests(devHost: FastifyInstance): number {
  return devHost.vault.requestLog.find('op', '/auth').filter((entry) => entry.path === '/auth').length;
}

test.describe('OpenID Connect Session Management: the session monitor', () => {
  test('signed in and idle: the OP answers unchanged for several intervals, and nothing is re-checked', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await expect.poll(async () => (await sessionEvents(page)).length).toBeGreaterThanOrEqual(4);
    const events = await sessionEvents(page);
    expect(new Set(events)).toEqual(new Set(['unchanged']));
    expect(await page.evaluate(() => window.demo.monitor?.state)).toMatch(/^(running|rechecking)$/);
    // One authorization request (the sign-in), and the check frame loaded once from the OP.
    expect(authorizationRequests(devHost)).toBe(1);
    expect(devHost.vault.requestLog.find('op', '/session/check').filter((e) => e.path === '/session/check')).toHaveLength(1);
  });

  test('logout at the OP in another tab: the app gets signedOut at its next check and the vault is empty', async ({ page, context, devHost }) => {
    await signIn(page, devHost);
    await settled(page);
    expect(await storedTokens(page, devHost)).not.toBeNull();
    // The user is in the other tab: this one is hidden, and its monitor pauses.
    await emulateVisibility(page, 'hidden');
    await expect.poll(() => page.evaluate(() => window.demo.monitor?.state)).toBe('paused');
    const mark = (await sessionEvents(page)).length;

    const other = await context.newPage();
    await other.goto(`${devHost.vault.origins.op}/session/end`);
    await other.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(other.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    // Nothing was asked while hidden.
    expect((await sessionEvents(page)).slice(mark)).toEqual([]);

    // Back to the app: its very first check sees the change, and the re-check finds no session.
    await emulateVisibility(page, 'visible');
    await expect.poll(async () => (await sessionEvents(page)).slice(mark)).toEqual(['changed', 'signedOut: session-ended']);
    expect(await storedTokens(page, devHost)).toBeNull();
    await expect(page.locator('#user')).toHaveText('signed out (at the OP)');
    expect(await page.evaluate(() => window.demo.monitor?.state)).toBe('stopped');
    await expect(page.locator('iframe[title="OP session check"]')).toHaveCount(0);
  });

  test('logout at the OP while the app stays visible: signedOut follows without a pause', async ({ page, context, devHost }) => {
    await signIn(page, devHost);
    const mark = await settled(page);
    const other = await context.newPage();
    await other.goto(`${devHost.vault.origins.op}/session/end`);
    await other.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect.poll(async () => (await sessionEvents(page)).slice(mark)).toContain('signedOut: session-ended');
    const after = (await sessionEvents(page)).slice(mark);
    // Checks went on during the logout ("unchanged" until the OP's state changed), then stopped.
    expect(after.slice(-2)).toEqual(['changed', 'signedOut: session-ended']);
    expect(new Set(after.slice(0, -2))).toEqual(new Set(['unchanged']));
    expect(await storedTokens(page, devHost)).toBeNull();
  });

  test('another user signs in at the OP: the app is told (signedOut) and never gets their tokens', async ({ page, context, devHost }) => {
    await signIn(page, devHost, 'alice');
    await settled(page);
    const tokenRequestsBefore = tokenRequests(devHost).length;

    const other = await context.newPage();
    await other.goto(otherAppAuthorizeUrl(devHost));
    await login(other, 'bob');
    await other.waitForURL(`${devHost.vault.origins.app}/silent-callback.html?**`);

    await expect.poll(() => sessionEvents(page)).toContain('signedOut: session-ended');
    expect(await sessionEvents(page)).toContain('changed');
    expect(await storedTokens(page, devHost)).toBeNull();
    // The re-check asked for alice (id_token_hint): the OP refused bob's session, so no code was redeemed.
    expect(tokenRequests(devHost)).toHaveLength(tokenRequestsBefore);
  });

  test('the same user signs in again at the OP: one prompt=none re-check renews the session and the new tokens land in the vault', async ({ page, context, devHost }) => {
    await signIn(page, devHost, 'alice');
    await settled(page);
    const before = await storedTokens(page, devHost);
    const stateBefore = await page.evaluate(() => window.demo.monitor?.sessionState);

    const other = await context.newPage();
    await other.goto(otherAppAuthorizeUrl(devHost));
    await login(other, 'alice');
    await other.waitForURL(`${devHost.vault.origins.app}/silent-callback.html?**`);

    await expect.poll(() => sessionEvents(page)).toContain('renewed');
    const start = await settled(page, 2);
    expect((await sessionEvents(page)).slice(start).every((e) => e === 'unchanged')).toBe(true);
    expect(await page.evaluate(() => window.demo.monitor?.sessionState)).not.toBe(stateBefore);
    const after = await storedTokens(page, devHost);
    expect(after?.accessToken).toMatch(/^eyJ/);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    // The re-check's code went to the token endpoint from the proxy origin, like every token request.
    expect(tokenRequests(devHost).map((e) => e.headers.origin)).toEqual([devHost.vault.origins.proxy, devHost.vault.origins.proxy]);
    // The renewed tokens still work for the API.
    await page.locator('#call-api').click();
    await expect(page.locator('#api-response')).toContainText('Hello, alice');
  });

  test('an answer posted from another origin is ignored', async ({ page, devHost }) => {
    const { app, evil } = devHost.vault.origins;
    await signIn(page, devHost);
    await settled(page);
    const forged = await probeForgedAnswers(page);

    // A page the app opened holds a reference to the app's window (window.opener) and says what the
    // OP would. (A page that opens the app holds a severed handle: COOP same-origin-allow-popups.)
    const [attacker] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => void window.open(url, 'evil'), `${evil}/`)]);
    await attacker.waitForLoadState();
    await attacker.evaluate((origin) => {
      const target = window.opener as Window;
      target.postMessage('changed', origin);
      target.postMessage('error', origin);
    }, app);
    // Back to the app: Firefox reports the opener hidden while the popup is in front.
    await page.bringToFront();
    await expect.poll(forged).toBe(2);
    const start = await settled(page, 2);
    expect(start).toBeGreaterThan(0);
    const events = await sessionEvents(page);
    expect(events.filter((e) => e !== 'unchanged')).toEqual([]);
    expect(authorizationRequests(devHost)).toBe(1);
  });

  test('an answer posted from another window at the OP origin is ignored', async ({ page, context, devHost }) => {
    const { app, op } = devHost.vault.origins;
    await signIn(page, devHost);
    await settled(page);
    const forged = await probeForgedAnswers(page);

    // A window of the right origin that is not the check frame: a popup of the OP.
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void window.open(url), `${op}/session/check`);
    const popup = await popupEvent;
    await popup.waitForLoadState();
    await popup.evaluate((target) => {
      const opener = window.opener as Window;
      opener.postMessage('changed', target);
      opener.postMessage('error', target);
    }, app);
    // Back to the app: Firefox reports the opener hidden while the popup is in front, and the
    // monitor rightly pauses then.
    await page.bringToFront();
    await expect.poll(forged).toBe(2);
    await settled(page, 2);
    expect((await sessionEvents(page)).filter((e) => e !== 'unchanged')).toEqual([]);
    expect(authorizationRequests(devHost)).toBe(1);
  });

  test('an "error" answer stops the monitor without any prompt=none re-check', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    await settled(page);
    // A monitor for a client the OP does not know: its check frame answers "error".
    const outcome = await page.evaluate(async () => {
      const running = window.demo.monitor;
      const session = sessionStorage.getItem('demo:session');
      if (!running || session === null) throw new Error('the demo has no session monitor');
      const Monitor = running.constructor as typeof import('@tokenvault/client').SessionMonitor;
      const { sessionState, idToken } = JSON.parse(session) as { sessionState: string; idToken: string };
      const { config } = window.demo;
      const monitor = new Monitor({
        vault: window.demo.vault,
        issuer: config.issuer,
        clientId: 'stranger',
        sessionState,
        idToken,
        redirectUri: config.silentRedirectUri,
        intervalMs: 200,
      });
      const events: string[] = [];
      const stopped = new Promise<string>((resolve) => {
        monitor.addEventListener('error', (event) => {
          resolve(event.detail.error.code);
        });
      });
      for (const name of ['unchanged', 'changed', 'renewed', 'signedOut'] as const) monitor.addEventListener(name, () => events.push(name));
      await monitor.start();
      return { code: await stopped, events, state: monitor.state, frames: document.querySelectorAll('iframe[title="OP session check"]').length };
    });
    expect(outcome).toEqual({ code: 'TV_SESSION_CHECK_FAILED', events: [], state: 'stopped', frames: 1 });
    expect(authorizationRequests(devHost)).toBe(1);
    // The demo's own monitor is unaffected, and the vault too.
    await settled(page);
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });

  test('stop() removes the check frame and ends the checks', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    await settled(page);
    await page.evaluate(() => {
      if (!window.demo.monitor) throw new Error('the demo has no session monitor');
      window.demo.monitor.stop();
    });
    expect(await page.evaluate(() => window.demo.monitor?.state)).toBe('stopped');
    await expect(page.locator('iframe[title="OP session check"]')).toHaveCount(0);
    // Stopping does not sign out.
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });
});
