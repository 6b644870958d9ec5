import type { Origins } from '@tokenvault/dev-host';
import type { Browser, Page } from 'playwright-core';
import { demoReady } from './signIn.js';
import { median, round } from './stats.js';

/** Which demo: the sealed one (the vault is the OAuth client) or the drop-in one (oauth4webapi in the app). */
export type SignInMode = 'sealed' | 'drop-in';

async function signedIn(page: Page, mode: SignInMode): Promise<void> {
  if (mode === 'sealed') await page.waitForFunction(() => document.getElementById('user')?.textContent === 'alice', null, { timeout: 20_000 });
  else await page.waitForFunction(() => document.getElementById('token-response')?.textContent.includes('"access_token": "REDACTED"'), null, { timeout: 20_000 });
}

async function signedOut(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('user')?.textContent === 'signed out', null, { timeout: 20_000 });
}

/**
 * Navigation → signed in, per mode: from the click on the demo's "Sign in" (the OP session already
 * there, so the OP answers at once: what is measured is the vault's flow, not the user's typing)
 * until the app shows the signed-in state: redirect to the OP and back, the code redeemed (by the
 * app through the vault in drop-in mode; by the proxy's callback in sealed mode, then back to the
 * app, whose vault starts again). Timed from the harness (Node), round trips to the browser included.
 */
export async function measureSignIn(browser: Browser, origins: Origins, mode: SignInMode, rounds: number): Promise<number[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origins.app}/`);
    await demoReady(page);
    // The first sign-in fills the OP's form and leaves an OP session.
    await page.locator('#sign-in').click();
    await page.waitForURL(`${origins.op}/**`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wonderland');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signedIn(page, mode);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Out of the vault, not of the OP: the next sign-in goes through without a form.
      await page.evaluate((sealed) => {
        const demos = window as unknown as { demo: { vault: { logout(o: object): Promise<void> } }; sealedDemo: { vault: { signOut(o: object): Promise<void> } } };
        return sealed ? demos.sealedDemo.vault.signOut({ endSession: false }) : demos.demo.vault.logout({ endSession: false });
      }, mode === 'sealed');
      await page.goto(`${origins.app}/`);
      await demoReady(page);
      await signedOut(page);
      const start = performance.now();
      await page.locator('#sign-in').click();
      await signedIn(page, mode);
      times.push(performance.now() - start);
    }
    return times;
  } finally {
    await context.close();
  }
}

/** The p50 of each mode's rounds. */
export function summarizeSignIn(times: Record<SignInMode, number[]>): Record<SignInMode, { n: number; p50: number }> {
  return {
    sealed: { n: times.sealed.length, p50: round(median(times.sealed)) },
    'drop-in': { n: times['drop-in'].length, p50: round(median(times['drop-in'])) },
  };
}
