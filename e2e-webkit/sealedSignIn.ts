import { By } from 'selenium-webdriver';
import { expect } from 'vitest';
import { login, openApp, text, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

/** Clicks "Sign in" (flow 'auto': the popup in WebKit), logs in in the sign-in window, back in the app's window once it closed. */
export async function sealedSignIn(wk: WebKitContext, button = '#sign-in'): Promise<void> {
  const { driver, devHost } = wk;
  await openApp(wk);
  const app = await driver.getWindowHandle();
  const before = await driver.getAllWindowHandles();
  await driver.findElement(By.css(button)).click();
  await expect.poll(async () => (await driver.getAllWindowHandles()).length, { timeout: 10_000 }).toBe(before.length + 1);
  const popup = defined((await driver.getAllWindowHandles()).find((handle) => !before.includes(handle)));
  await driver.switchTo().window(popup);
  await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
  await login(driver);
  await expect.poll(async () => (await driver.getAllWindowHandles()).includes(popup), { timeout: 20_000 }).toBe(false);
  await driver.switchTo().window(app);
  await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
}
