import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { login, openApp, storedTokens, useWebKit, type WebKitContext } from './harness.js';
import { openSignInWindow, vaultEvents } from './sealedSignIn.js';

// A popup signIn() settles on its own sign-in's outcome only, in WebKitGTK (e2e/sealed-popup-flow.spec.ts).
// The two-tab cases are Chromium's and Firefox's only: here a tab WebDriver opens cannot open a
// sign-in window (measured, e2e-webkit/sealed.test.ts), and the redirect flow cannot sign in
// (WebKit partitions the frame's storage), so a second tab has no way to sign in while the first
// one's window is out. The cases of one tab run here.

const settled = async (wk: WebKitContext): Promise<string[]> => (await vaultEvents(wk)).filter((event) => event.startsWith('signIn()'));

/**
 * Two buttons in the app's page, clicked by WebDriver (a user gesture: WebKit opens a window only
 * then): one starts a popup signIn() and records how it settles, the other opens a window of the
 * proxy origin at a stale callback (an authorization response of no sign-in).
 */
async function addButtons(wk: WebKitContext): Promise<void> {
  await wk.driver.executeScript(
    `const proxy = arguments[0];
    const start = document.createElement('button');
    start.id = 'test-sign-in';
    start.addEventListener('click', () => {
      const { vault, events } = window.sealedDemo;
      vault.signIn({ flow: 'popup' }).then(() => events.push('signIn() resolved'), (err) => events.push('signIn() rejected ' + (err.code ?? String(err))));
    });
    const stale = document.createElement('button');
    stale.id = 'test-stale';
    stale.addEventListener('click', () => void window.open(proxy + '/callback?code=stale-code&state=stale-state', 'stale'));
    document.body.prepend(start, stale);`,
    wk.devHost.vault.origins.proxy,
  );
}

/** Logs in in the sign-in window, waits for it to close, and goes back to the app's window. */
async function completeInWindow(wk: WebKitContext, app: string, popup: string): Promise<void> {
  const { driver } = wk;
  await driver.switchTo().window(popup);
  await login(driver);
  await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 20_000 }).toBe(false);
  await driver.switchTo().window(app);
}

describe('WebKit: a popup signIn() settles on its own flow', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('a response of no sign-in handed to the proxy frame (TV_INVALID_STATE) does not reject the pending signIn(); its own window resolves it', async () => {
    const { driver } = wk;
    await openApp(wk);
    await addButtons(wk);
    const { app, popup } = await openSignInWindow(wk, '#test-sign-in');
    await driver.switchTo().window(app);
    await driver.findElement(By.id('test-stale')).click();
    // The positive signal: the frame reported the stale response to the app.
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('error: TV_INVALID_STATE');
    expect(await settled(wk)).toEqual([]);

    await completeInWindow(wk, app, popup);
    await expect.poll(() => settled(wk), { timeout: 20_000 }).toEqual(['signIn() resolved']);
    expect(await storedTokens(wk)).not.toBeNull();
  });

  test('a second popup signIn() takes the window over: the first rejects TV_SIGN_IN_CANCELLED, the second resolves', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    await addButtons(wk);
    const { app, popup } = await openSignInWindow(wk, '#test-sign-in');
    const first = await driver.getCurrentUrl();
    const windows = (await driver.getAllWindowHandles()).length;
    await driver.switchTo().window(app);
    await driver.findElement(By.id('test-sign-in')).click();
    await expect.poll(() => settled(wk)).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED']);
    // The same window, gone to the OP again with the second sign-in's request.
    expect((await driver.getAllWindowHandles()).length).toBe(windows);
    await driver.switchTo().window(popup);
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).not.toBe(first);
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/interaction/`));

    await completeInWindow(wk, app, popup);
    await expect.poll(() => settled(wk), { timeout: 20_000 }).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED', 'signIn() resolved']);
    expect(await storedTokens(wk)).not.toBeNull();
  });

  test('vault.close() while a popup signIn() waits: the window closes and the promise rejects TV_SIGN_IN_CANCELLED at once', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    await addButtons(wk);
    const { app, popup } = await openSignInWindow(wk, '#test-sign-in');
    await driver.switchTo().window(app);
    await driver.executeScript('window.sealedDemo.vault.close()');
    await expect.poll(() => settled(wk)).toEqual(['signIn() rejected TV_SIGN_IN_CANCELLED']);
    await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 10_000 }).toBe(false);
    expect(devHost.vault.requestLog.find('op', '/token')).toHaveLength(0);
  });
});
