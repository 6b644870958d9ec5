import type { Frame, Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { PARTITIONED_STORAGE_ARGS, appFrame, test as base, expect } from './fixtures.js';

/** `test` for specs that embed the app cross-site: Chromium as it ships (partitioned third-party storage). */
export const test = base.extend({
  launchOptions: [
    async ({ launchOptions }, use) => use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...PARTITIONED_STORAGE_ARGS] }),
    { scope: 'worker' },
  ],
});

export function sessionIdMessage(sessionId: unknown): string {
  return JSON.stringify({ message_id: 'session_id', data: { session_id: sessionId } });
}

/** Opens the sample host page (another site) with the demo embedded, and returns the demo's frame. */
export async function openHost(page: Page, devHost: FastifyInstance, query = ''): Promise<Frame> {
  await page.goto(`${devHost.vault.origins.host}/${query}`);
  const app = await appFrame(page, devHost);
  await expect(app.locator('#host-session')).not.toHaveText('not embedded');
  return app;
}

/** Calls the host API from the embedded app (a plain fetch, routed by the worker to the proxy). */
export async function callHostApi(app: Frame): Promise<void> {
  await expect(app.locator('#status')).toHaveText('ready');
  // A DOM click: Playwright's pointer click does not reach a button in a cross-site frame under
  // Firefox's WebDriver BiDi (measured with ESR 153); the vault's path is the same either way.
  await app.locator('#call-host-api').dispatchEvent('click');
}

export function hostApiCalls(devHost: FastifyInstance) {
  return devHost.vault.requestLog.find('host', '/api/v1/me').filter((entry) => entry.method === 'GET');
}

/** Counts, in the app's frame, the messages that reach its window from `origin`. */
export async function probeMessages(app: Frame, origin: string): Promise<() => Promise<number>> {
  await app.evaluate((from) => {
    const w = window as unknown as { probed: number };
    w.probed = 0;
    window.addEventListener('message', (event) => {
      if (event.origin === from) w.probed++;
    });
  }, origin);
  return () => app.evaluate(() => (window as unknown as { probed: number }).probed);
}

