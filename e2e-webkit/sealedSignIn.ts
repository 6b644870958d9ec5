import { By } from 'selenium-webdriver';
import { expect } from 'vitest';
import { inTab, login, newTab, openApp, text, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

// The sealed demo in WebKitGTK: what its vault reported, and its popup sign-in (flow 'auto' is the
// popup here: WebKit partitions the proxy frame's storage by the app, so the redirect flow cannot sign in).

/** What the sealed demo's vault reported, in order ("signed-in", "error: TV_…", and how a test's signIn() calls settled). */
export function vaultEvents(wk: WebKitContext): Promise<string[]> {
  return wk.driver.executeScript<string[]>('return [...window.sealedDemo.events]');
}

/**
 * Clicks `button` in the app's page (a user gesture: WebKit opens a window only then), waits for
 * the sign-in window and the OP's page in it; leaves the driver in that window and returns the
 * app's and the window's handles.
 */
export async function openSignInWindow(wk: WebKitContext, button: string): Promise<{ app: string; popup: string }> {
  const { driver, devHost } = wk;
  const app = await driver.getWindowHandle();
  const before = await driver.getAllWindowHandles();
  await driver.findElement(By.css(button)).click();
  await expect.poll(async () => (await driver.getAllWindowHandles()).length, { timeout: 10_000 }).toBe(before.length + 1);
  const popup = defined((await driver.getAllWindowHandles()).find((handle) => !before.includes(handle)));
  await driver.switchTo().window(popup);
  await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
  return { app, popup };
}

/** Clicks "Sign in" (flow 'auto': the popup in WebKit), logs in in the sign-in window, back in the app's window once it closed. */
export async function sealedSignIn(wk: WebKitContext, button = '#sign-in'): Promise<void> {
  const { driver } = wk;
  await openApp(wk);
  const { app, popup } = await openSignInWindow(wk, button);
  await login(driver);
  await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 20_000 }).toBe(false);
  await driver.switchTo().window(app);
  await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
}

/**
 * From the app's tab: a second tab of the app, ready and not signed in; the sign-in in the first tab
 * (a click in a tab WebDriver opened opens no sign-in window, measured); the second tab's app hears
 * it (the proxy origin's BroadcastChannel) and shows the user. Leaves the driver in the first tab
 * and returns the second's handle.
 */
export async function signInSeenInSecondTab(wk: WebKitContext): Promise<string> {
  const { driver } = wk;
  const first = await driver.getWindowHandle();
  const second = await newTab(wk);
  await openApp(wk);
  expect(await vaultEvents(wk)).not.toContain('signed-in');
  await driver.switchTo().window(first);
  await sealedSignIn(wk);
  await inTab(wk, second, async () => {
    await expect.poll(() => vaultEvents(wk), { timeout: 20_000 }).toContain('signed-in');
    await expect.poll(() => text(driver, '#user')).toBe('alice');
  });
  return second;
}
