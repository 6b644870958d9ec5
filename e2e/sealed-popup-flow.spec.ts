import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, login, openApp, storedTokens, test } from './fixtures.js';
import { sealedSignIn, startRecordedPopupSignIn, vaultEvents } from './sealedFixtures.js';

// Sealed mode, popup flow: a pending vault.signIn({ flow: 'popup' }) settles on its own sign-in's
// outcome only. The proxy mints a flow id for each popup sign-in and names it in that sign-in's
// outcome, which it tells the asking page only; another tab's sign-in (`signed-in` in every tab),
// another tab's failed sign-in and an error in this tab's frame that is no outcome of this sign-in
// (a response of no sign-in) settle nothing. Two tabs of the sealed demo, the dev OP on the app's site.
test.use({ devHostOptions: { demo: 'sealed' } });

/** Starts a popup sign-in in `page` (as the demo's button does) and records how its promise settles in the demo's event list. */
async function startPopupSignIn(page: Page, devHost: FastifyInstance, prompt?: 'login'): Promise<Page> {
  const popup = await startRecordedPopupSignIn(page, prompt ? { prompt } : {});
  // The sign-in window waits at the OP's login form.
  await popup.waitForURL(`${devHost.vault.origins.op}/**`);
  await expect(popup.getByLabel('Username')).toBeVisible();
  return popup;
}

/** Whether the demo's signIn() promise has settled (either way). */
const settled = async (page: Page): Promise<string[]> => (await vaultEvents(page)).filter((event) => event.startsWith('signIn()'));

/** The user completes the sign-in in the window; it closes itself; the promise resolves. */
async function completeInWindow(page: Page, popup: Page, username = 'alice'): Promise<void> {
  const closed = popup.waitForEvent('close', { timeout: 20_000 });
  await login(popup, username);
  await closed;
  await expect.poll(() => settled(page), { timeout: 15_000 }).toEqual(['signIn() resolved']);
}

test("another tab's redirect sign-in fires signed-in here but leaves this tab's popup signIn() pending; its own window then resolves it", async ({ page, context, devHost }) => {
  await openApp(page, devHost);
  const popup = await startPopupSignIn(page, devHost);

  const other = await context.newPage();
  await sealedSignIn(other, devHost);
  // The positive signal: this tab's vault has heard the other tab's sign-in (the app is told).
  await expect.poll(() => vaultEvents(page)).toContain('signed-in');
  // The promise would have settled in the same task as that event: it has not.
  expect(await settled(page)).toEqual([]);
  await expect(page.locator('#user')).toHaveText('alice');

  await completeInWindow(page, popup);
  expect(await storedTokens(page, devHost)).not.toBeNull();
});

test("another tab's failed sign-in, and a response of no sign-in handed to this tab's frame: neither rejects the pending popup signIn()", async ({ page, context, devHost }) => {
  await openApp(page, devHost);
  const popup = await startPopupSignIn(page, devHost);

  // The other tab's sign-in fails at the OP (prompt=none, nobody signed in there: login_required).
  const other = await context.newPage();
  await openApp(other, devHost);
  await other.evaluate(() => void window.sealedDemo.vault.signIn({ prompt: 'none', returnTo: '/' }));
  // (Polled across the tab's navigations: an evaluate during one reads nothing.)
  await expect.poll(() => vaultEvents(other).catch(() => []), { timeout: 15_000 }).toContain('error: TV_SIGN_IN_FAILED');

  // A window of the proxy origin, opened by this tab, posts a stale authorization response to
  // this tab's proxy frame (a state it never issued): the frame reports TV_INVALID_STATE, which
  // names no sign-in of this tab.
  await page.evaluate((proxy) => void window.open(`${proxy}/callback?code=stale-code&state=stale-state`, 'stale'), devHost.vault.origins.proxy);
  await expect.poll(() => vaultEvents(page), { timeout: 15_000 }).toContain('error: TV_INVALID_STATE');
  expect(await settled(page)).toEqual([]);
  expect(await storedTokens(page, devHost)).toBeNull();

  await completeInWindow(page, popup);
  await expect(page.locator('#user')).toHaveText('alice');
});

test('a second popup signIn() in the same tab takes the window over: the first rejects TV_SIGN_IN_CANCELLED, the second resolves', async ({ page, devHost }) => {
  await openApp(page, devHost);
  const popup = await startPopupSignIn(page, devHost);
  const first = popup.url();

  // The second sign-in reuses the named window: no new window opens.
  await page.evaluate(() => {
    const { vault, events } = window.sealedDemo;
    void vault.signIn({ flow: 'popup' }).then(
      () => events.push('second signIn() resolved'),
      (err: unknown) => events.push(`second signIn() rejected ${(err as { code?: string }).code ?? String(err)}`),
    );
  });
  await expect.poll(() => settled(page)).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED']);
  // The window went to the OP again, with the second sign-in's request.
  await expect.poll(() => popup.url()).not.toBe(first);
  await popup.waitForURL(`${devHost.vault.origins.op}/**`);
  const closed = popup.waitForEvent('close', { timeout: 20_000 });
  await login(popup, 'alice');
  await closed;
  await expect.poll(() => vaultEvents(page), { timeout: 15_000 }).toContain('second signIn() resolved');
  expect(await settled(page)).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED']);
  expect(await storedTokens(page, devHost)).not.toBeNull();
  // One code redeemed: the first sign-in's state was forgotten when the second began.
  expect(devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST')).toHaveLength(1);
});

test("a popup signIn() before the client's sign-in chunk is in opens its window at once, then goes on when the chunk arrives", async ({ page, devHost }) => {
  // The client loads sign-in with import() (preloaded at ready): held here, a sign-in must still
  // open its window in the caller's task (a browser opens one only in a click's), not after the chunk.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const requested: string[] = [];
  await page.route(/accountCalls[^/]*\.js(\?.*)?$/, async (route) => {
    requested.push(route.request().url());
    await held;
    await route.continue();
  });
  // Not openApp: the sealed demo asks for user() at ready, and Firefox holds the page's load event
  // while that chunk's import() is in flight (measured: the held chunk kept page.goto waiting to its
  // time limit), so the test waits for the vault's ready instead.
  await page.goto(`${devHost.vault.origins.app}/`, { waitUntil: 'domcontentloaded' });
  await expect(page.locator('#status')).toHaveText('ready');
  await expect.poll(() => requested.length).toBe(1);
  const popup = await startRecordedPopupSignIn(page);
  // The window is open while the chunk is still held.
  expect(requested).toHaveLength(1);
  expect(await settled(page)).toEqual([]);
  release();
  await popup.waitForURL(`${devHost.vault.origins.op}/**`);
  await completeInWindow(page, popup);
  // The preload and the sign-in waited for the same chunk: it was fetched once.
  expect(requested).toHaveLength(1);
  expect(await storedTokens(page, devHost)).not.toBeNull();
});

test('vault.close() while a popup signIn() waits: the window closes and the promise rejects TV_SIGN_IN_CANCELLED at once', async ({ page, devHost }) => {
  await openApp(page, devHost);
  const popup = await startPopupSignIn(page, devHost);
  const closed = popup.waitForEvent('close');
  await page.evaluate(() => {
    window.sealedDemo.vault.close();
  });
  // Its outcome would come over the port close() ended: the promise settles now, not at the
  // sign-in's ten-minute limit, and the window the user would sign in at is gone.
  await expect.poll(() => settled(page)).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED']);
  await closed;
  // The proxy frame is gone too; nothing was redeemed.
  expect(page.frames().some((frame) => frame.url().startsWith(`${devHost.vault.origins.proxy}/`))).toBe(false);
  expect(devHost.vault.requestLog.find('op', '/token')).toHaveLength(0);
});
