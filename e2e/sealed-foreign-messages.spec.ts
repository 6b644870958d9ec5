import type { Page } from '@playwright/test';
import { expect, openApp, storedTokens, test } from './fixtures.js';
import { sealedPopupSignIn, vaultEvents } from './sealedFixtures.js';

// Issue 21: a foreign page holding the app's window posted junk to the proxy frame; each message
// raised a TV_ORIGIN_REJECTED `error` event, which rejected a pending popup signIn(). Now the app's
// pages send Cross-Origin-Opener-Policy: same-origin-allow-popups (a foreign opener's handle is
// severed), and the proxy frame drops a foreign message without a word (a page the app opened
// itself still has window.opener).

test.use({ devHostOptions: { demo: 'sealed' } });

/** What a foreign page posts into every frame of `target` while it runs: sign-in messages and junk. */
const JUNK = [
  { v: 'tokenvault/1', type: 'authorization-response', query: 'code=stolen-elsewhere&state=guessed' },
  { v: 'tokenvault/1', type: 'authorize-url-request' },
  { type: 'authorization-response' },
  'junk',
];

/**
 * Starts posting JUNK into every frame of the window `pick` names, every 20 ms. Returns how many
 * rounds ran and how many frames the messages were posted into so far.
 */
async function startPosting(attacker: Page, pick: 'opener' | 'victim'): Promise<() => Promise<{ rounds: number; reached: number }>> {
  await attacker.evaluate(
    ({ pick, junk }) => {
      const state = window as unknown as { victim?: Window | null; rounds: number; reached: number };
      state.rounds = 0;
      state.reached = 0;
      setInterval(() => {
        state.rounds++;
        const target = pick === 'opener' ? (window.opener as Window | null) : (state.victim ?? null);
        if (!target || target.closed) return;
        for (let i = 0; i < target.frames.length; i++) for (const message of junk) target.frames[i].postMessage(message, '*');
        state.reached += target.frames.length;
      }, 20);
    },
    { pick, junk: JUNK },
  );
  return () => attacker.evaluate(() => ({ rounds: (window as unknown as { rounds: number }).rounds, reached: (window as unknown as { reached: number }).reached }));
}

test.describe('messages from a foreign page to the proxy frame', () => {
  test('evil.localhost opens the app: COOP severs its handle, its junk reaches nothing, and a popup signIn() completes', async ({ page, context, devHost }) => {
    const { app, evil } = devHost.vault.origins;
    await page.goto(`${evil}/`);
    const [appPage] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate((url) => void ((window as unknown as { victim: Window | null }).victim = window.open(url)), `${app}/`),
    ]);
    await expect(appPage.locator('#status')).toHaveText('ready');
    // The handle the attacker kept reads closed: the app is in a browsing context group of its own.
    expect(await page.evaluate(() => (window as unknown as { victim: Window }).victim.closed)).toBe(true);
    const posted = await startPosting(page, 'victim');
    // Firefox clicks only into the window in front.
    await appPage.bringToFront();
    await sealedPopupSignIn(appPage, devHost, 'alice', async () => {
      await expect.poll(async () => (await posted()).rounds).toBeGreaterThan(5);
    });
    expect((await posted()).reached).toBe(0);
    expect(await vaultEvents(appPage)).toEqual(['ready', 'signed-in']);
    await expect(appPage.locator('#error')).toBeEmpty();
  });

  test('a page the app opened (evil.localhost, window.opener) posts junk into the proxy frame during a popup signIn(): dropped silently, the sign-in completes', async ({
    page,
    context,
    devHost,
  }) => {
    // Two windows and a sign-in window, one of them always in the background: slow in Firefox.
    test.slow();
    const { evil } = devHost.vault.origins;
    await openApp(page, devHost);
    const [attacker] = await Promise.all([context.waitForEvent('page'), page.evaluate((url) => void window.open(url, 'evil'), `${evil}/`)]);
    await attacker.waitForLoadState();
    // The app's own popups keep their opener (same-origin-allow-popups): the attacker reaches the proxy frame.
    expect(await attacker.evaluate(() => (window.opener as Window).frames.length)).toBeGreaterThanOrEqual(1);
    const posted = await startPosting(attacker, 'opener');
    await expect.poll(async () => (await posted()).reached).toBeGreaterThan(5);
    // Posted before the sign-in: no error either.
    expect(await vaultEvents(page)).toEqual(['ready']);
    await page.bringToFront();

    await sealedPopupSignIn(page, devHost, 'alice', async () => {
      // Background windows' timers are throttled (to 1 s in Firefox): a few rounds are enough.
      const before = (await posted()).reached;
      await expect.poll(async () => (await posted()).reached).toBeGreaterThan(before + 2);
    });
    expect(await vaultEvents(page)).toEqual(['ready', 'signed-in']);
    await expect(page.locator('#error')).toBeEmpty();
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });
});
