import { describe, expect, test } from 'vitest';
import { inProxyFrame, login, openApp, text, useWebKit, type WebKitContext } from './harness.js';
import { openSignInWindow, vaultEvents } from './sealedSignIn.js';

// The sealed proxy's session check times (`sessionCheck`) in WebKitGTK, the OP on the app's site and
// on another one (e2e/sealed-session.spec.ts and e2e/session-check-other-site.spec.ts prove the
// interval on the pages' clock in Chromium and Firefox; WebKitWebDriver has no clock to move). Here
// the proxy frame's timers are recorded from before the sign-in: its watch, once it has its first
// answer, schedules the next check sessionCheck.intervalMs later, and waits sessionCheck.timeoutMs
// for each answer. WebKitGTK sends the OP's frames under the app the OP's cookies on either site
// (e2e-webkit/opOtherSite.test.ts), so the watch goes on in both.
const INTERVAL_MS = 45_000;
const TIMEOUT_MS = 7_000;

/** From the app's page loaded: records the delay of every timer the proxy frame sets from now on. */
async function recordProxyTimers(wk: WebKitContext): Promise<() => Promise<number[]>> {
  await inProxyFrame(wk, () =>
    wk.driver.executeScript(
      `const set = window.setTimeout;
      window.__delays = [];
      window.setTimeout = function (handler, ms, ...rest) { window.__delays.push(ms); return set.call(window, handler, ms, ...rest); };`,
    ),
  );
  return () => inProxyFrame(wk, () => wk.driver.executeScript<number[]>('return [...window.__delays]'));
}

for (const opSite of ['same', 'other'] as const) {
  describe(`WebKit: sessionCheck, the OP on ${opSite === 'same' ? "the app's site" : 'another site'}`, { timeout: 120_000 }, () => {
    const wk = useWebKit({
      demo: 'sealed',
      sessionCheck: { intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS },
      ...(opSite === 'other' ? { opSite: 'other', opCookiesSecure: false } : {}),
    });

    test('the watch waits sessionCheck.timeoutMs for an answer and asks again sessionCheck.intervalMs later', async () => {
      const { driver } = wk;
      await openApp(wk);
      const delays = await recordProxyTimers(wk);
      const { app, popup } = await openSignInWindow(wk, '#sign-in');
      await login(driver);
      await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 20_000 }).toBe(false);
      await driver.switchTo().window(app);
      await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
      // The positive signal: the next check scheduled, after the first one's answer (at the
      // defaults, 3000 and 10 000).
      await expect.poll(delays, { timeout: 20_000 }).toContain(INTERVAL_MS);
      expect(await delays()).toContain(TIMEOUT_MS);
      // The watch goes on: the OP's session was seen, nothing went wrong.
      expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    });
  });
}
