import type { Origins } from '@tokenvault/dev-host';
import type { Frame, Page } from 'playwright-core';

/** The tokens the proxy stored, read from its IndexedDB (the harness plays the API's other clients). */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  scope: string | null;
  expiresAt: number | null;
}

/** Waits until a page of the vault's demo says "ready". */
export async function demoReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 20_000 });
}

export function frameOf(page: Page, origin: string): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${origin}/`));
  if (!frame) throw new Error(`the page has no frame of ${origin}`);
  return frame;
}

/**
 * Signs in through the demo as a person would (its button, the OP's login form, the code redeemed
 * through the vault) and returns what the proxy stored.
 */
export async function signIn(page: Page, origins: Origins): Promise<StoredTokens> {
  await page.goto(`${origins.app}/`);
  await demoReady(page);
  await page.locator('#sign-in').click();
  await page.waitForURL(`${origins.op}/**`);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wonderland');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => document.getElementById('token-response')?.textContent.includes('"access_token": "REDACTED"'), null, { timeout: 20_000 });
  const tokens = await frameOf(page, origins.proxy).evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('tokenvault');
        open.onerror = () => {
          reject(open.error ?? new Error('IndexedDB request failed'));
        };
        open.onsuccess = () => {
          const get = open.result.transaction('tokens').objectStore('tokens').get('tokens');
          get.onsuccess = () => {
            resolve(get.result);
          };
          get.onerror = () => {
            reject(get.error ?? new Error('IndexedDB request failed'));
          };
        };
      }),
  );
  const stored = tokens as StoredTokens | undefined;
  if (!stored?.accessToken) throw new Error('the proxy stored no access token after sign-in');
  return stored;
}
