import type { Page } from '@playwright/test';
import type { ExampleSite } from '@tokenvault/dev-host';
import type { FastifyInstance } from 'fastify';
import { expect, login, readTokensInPage, type StoredTokens } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// Driving the example apps (examples/*) the way their pages do: shared by the specs that use them.

export function site(devHost: FastifyInstance, name: string): ExampleSite {
  return defined(devHost.vault.examples.find((example) => example.name === name));
}

/** Runs one of the example's actions (window.example) and returns its JSON result. */
export function run(page: Page, action: string): Promise<Record<string, unknown>> {
  return page.evaluate(
    async (name) =>
      JSON.parse(JSON.stringify((await (window as unknown as { example: Record<string, () => Promise<unknown>> }).example[name]()) ?? null)) as Record<string, unknown>,
    action,
  );
}

/** What the example's proxy frame holds; waits for the frame (after a navigation the page mounts it anew). */
export async function stored(page: Page, example: ExampleSite): Promise<StoredTokens | null> {
  const proxyFrame = () => page.frames().find((f) => f.url().startsWith(`${example.proxy}/`));
  await expect.poll(() => proxyFrame() !== undefined, { message: 'the page has no proxy frame' }).toBe(true);
  return defined(proxyFrame()).evaluate(readTokensInPage);
}

export async function signInWith(page: Page, devHost: FastifyInstance, example: ExampleSite): Promise<void> {
  await page.goto(`${example.app}/`);
  await expect(page.locator('#status')).toHaveText('ready');
  await page.locator('#sign-in').click();
  await page.waitForURL(`${devHost.vault.origins.op}/**`);
  await login(page);
  await expect(page.locator('#user')).toHaveText('alice');
  await expect(page.locator('#out')).toContainText('"REDACTED"');
}
