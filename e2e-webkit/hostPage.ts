import { By } from 'selenium-webdriver';
import { expect } from 'vitest';
import { text, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

// The host page's side of the WebKit suite: shared by host.test.ts and host-compat.test.ts.

/**
 * Opens the sample host page (http://host.localhost, another site than the app) and waits for the
 * embedded demo's vault, and unless `held` is false, for the host's session ID in it.
 */
export async function openHost({ driver, devHost }: WebKitContext, path = '/', held = true): Promise<void> {
  await driver.get(`${devHost.vault.origins.host}${path}`);
  await waitForApp({ driver, devHost }, held);
}

export async function waitForApp({ driver, devHost }: WebKitContext, held: boolean): Promise<void> {
  await expect.poll(async () => (await driver.findElements(By.css('iframe#app'))).length, { timeout: 10_000 }).toBe(1);
  await inApp({ driver, devHost }, async () => {
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => text(driver, '#host-session'), { timeout: 10_000 }).toBe(held ? 'held by the vault' : 'waiting for the host…');
  });
}

/** Runs `body` with the driver switched into the embedded demo's frame (the app, third-party under the host). */
export async function inApp<T>({ driver }: WebKitContext, body: () => Promise<T>): Promise<T> {
  await driver.switchTo().frame(await driver.findElement(By.css('iframe#app')));
  try {
    return await body();
  } finally {
    await driver.switchTo().defaultContent();
  }
}

/** Calls the host API from the embedded app (a plain fetch, routed by the worker to the proxy) and returns what the app showed. */
export async function callHostApi(wk: WebKitContext): Promise<string> {
  return inApp(wk, async () => {
    await wk.driver.executeScript("document.getElementById('call-host-api').click()");
    await expect.poll(() => text(wk.driver, '#api-response')).toContain('"status"');
    return defined(await text(wk.driver, '#api-response'));
  });
}

export const hostApiCalls = (wk: WebKitContext) => wk.devHost.vault.requestLog.find('host', '/api/v1/me').filter((entry) => entry.method === 'GET');
