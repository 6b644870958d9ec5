import { expect, storedTokens, test, tokenRequests } from './fixtures.js';
import { sealedPopupSignIn, vaultEvents } from './sealedFixtures.js';

// Sealed mode: script in the app origin tries to inject a code of its choosing into the vault while
// a popup sign-in is under way, posting an authorization response into the proxy frame as the
// sign-in window would. The proxy frame hears sign-in messages only from windows of its own origin:
// from the app's window the message is a malformed connect (a typed error, nothing else); from
// another window of the app origin it is dropped without a word. Only the real response is redeemed.
// (The same from a foreign origin: sealed-callback.spec.ts and sealed-foreign-messages.spec.ts.)
test.use({ devHostOptions: { demo: 'sealed' } });

const FORGED = { v: 'tokenvault/1', type: 'authorization-response', query: 'code=redeem-me&state=guessed' };

test.describe('a code injected from the app origin', () => {
  test('app-origin script posts an authorization response into the proxy frame: not taken, the real sign-in completes once', async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const grantsBefore = tokenRequests(devHost);

    await sealedPopupSignIn(page, devHost, 'alice', async () => {
      // The sign-in is pending (its state is held by the proxy frame). 1. From the app's own window,
      // into every frame of it; the proxy frame's answer (to this origin only) says it was read.
      const replies = await page.evaluate(
        ({ proxy, message }) =>
          new Promise<unknown[]>((resolve) => {
            const seen: unknown[] = [];
            window.addEventListener('message', (event) => {
              if (event.origin !== proxy) return;
              seen.push(event.data);
              resolve(seen);
            });
            for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(message, '*');
          }),
        { proxy, message: FORGED },
      );
      expect(replies).toEqual([expect.objectContaining({ type: 'error', error: 'TV_MALFORMED_MESSAGE' })]);

      // 2. From another window of the app origin, one the app opens (any page of the origin will do).
      const [other] = await Promise.all([
        page.waitForEvent('popup'),
        page.evaluate((url) => void window.open(url, 'app-origin-window'), `${devHost.vault.origins.app}/no-such-page`),
      ]);
      await other.waitForLoadState();
      const reached = await other.evaluate((message) => {
        const app = window.opener as Window;
        for (let i = 0; i < app.frames.length; i++) app.frames[i].postMessage(message, '*');
        return app.frames.length;
      }, FORGED);
      expect(reached).toBeGreaterThanOrEqual(1);
      expect(await other.evaluate(() => location.origin)).toBe(devHost.vault.origins.app);
      await other.close();
    });

    // The real response was redeemed, once; the forged code never reached the OP, and no error was raised.
    expect(tokenRequests(devHost) - grantsBefore).toBe(1);
    expect(await vaultEvents(page)).toEqual(['ready', 'signed-in']);
    await expect(page.locator('#error')).toBeEmpty();
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });
});
