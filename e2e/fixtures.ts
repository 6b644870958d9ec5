import { test as base, expect, type BrowserContext, type CDPSession, type Frame, type Page } from '@playwright/test';
import { build, sha256, type DevHostOptions } from '@tokenvault/dev-host';
import type { FastifyInstance } from 'fastify';

export { expect };

/**
 * Tag for a test that needs the Chrome DevTools protocol (stopping the service worker, a hard
 * reload, …): it runs in Chromium and is reported as skipped, with the reason, in other engines.
 *
 * @example
 * ```ts
 * test('the worker is stopped mid-session', { tag: NEEDS_CDP }, async ({ page }) => {
 *   const cdp = await devTools(page)
 *   await cdp.send('ServiceWorker.enable')
 *   await cdp.send('ServiceWorker.stopAllWorkers')
 * })
 * ```
 */
export const NEEDS_CDP = '@needs-cdp';

export interface Fixtures {
  /** The worker's dev host: origins, request log, OP. */
  devHost: FastifyInstance;
  /** Skips a test tagged NEEDS_CDP outside Chromium (automatic). */
  engineGate: void;
}

export interface WorkerFixtures {
  /** Options for the worker's dev host (`test.use({ devHostOptions: { accessTokenTtl: 5 } })`). */
  devHostOptions: Omit<DevHostOptions, 'port'>;
  workerDevHost: FastifyInstance;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  devHostOptions: [{}, { scope: 'worker', option: true }],
  workerDevHost: [
    async ({ devHostOptions }, use, workerInfo) => {
      // E2E_PORT_BASE lets several checkouts run their suites side by side.
      const port = Number(process.env.E2E_PORT_BASE ?? 8180) + workerInfo.parallelIndex;
      const app = await build({ ...devHostOptions, port });
      await app.listen({ port, host: 'localhost' });
      await use(app);
      await app.close();
    },
    { scope: 'worker' },
  ],
  devHost: async ({ workerDevHost }, use) => {
    workerDevHost.vault.requestLog.clear();
    await use(workerDevHost);
  },
  engineGate: [
    async ({ browserName }, use, testInfo) => {
      testInfo.skip(testInfo.tags.includes(NEEDS_CDP) && browserName !== 'chromium', `needs the Chrome DevTools protocol, which ${browserName} does not have`);
      await use();
    },
    { auto: true },
  ],
});

/** A DevTools protocol session for a page; only in Chromium (tag the test NEEDS_CDP). */
export async function devTools(page: Page): Promise<CDPSession> {
  const browserName = page.context().browser()?.browserType().name();
  if (browserName !== 'chromium') throw new Error(`The DevTools protocol is Chromium's; this test runs in ${browserName ?? 'an unknown browser'}: tag it NEEDS_CDP`);
  return page.context().newCDPSession(page);
}

/** Opens the demo and waits until the vault is ready. */
export async function openApp(page: Page, devHost: FastifyInstance): Promise<void> {
  await page.goto(`${devHost.vault.origins.app}/`);
  await expect(page.locator('#status')).toHaveText('ready');
}

/** Fills the OP's real login form. */
export async function login(page: Page, username = 'alice', password = username === 'bob' ? 'builder' : 'wonderland'): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the demo: its button, the OP's form, back to the app, code redeemed through the vault. */
export async function signIn(page: Page, devHost: FastifyInstance, username = 'alice'): Promise<void> {
  await openApp(page, devHost);
  await page.locator('#sign-in').click();
  await page.waitForURL(`${devHost.vault.origins.op}/**`);
  await login(page, username);
  await expect(page.locator('#token-response')).toContainText('"access_token": "REDACTED"');
  await expect(page.locator('#user')).toHaveText(username);
}

/** The proxy iframe of a page. */
export function proxyFrame(page: Page, devHost: FastifyInstance): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${devHost.vault.origins.proxy}/`));
  if (!frame) throw new Error('the page has no proxy frame');
  return frame;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  expiresAt: number | null;
}

/** What the proxy origin's IndexedDB holds, read inside the proxy frame. */
export async function storedTokens(page: Page, devHost: FastifyInstance): Promise<StoredTokens | null> {
  return proxyFrame(page, devHost).evaluate(
    () =>
      new Promise<StoredTokens | null>((resolve, reject) => {
        const open = indexedDB.open('tokenvault');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('tokens')) return resolve(null);
          const get = db.transaction('tokens').objectStore('tokens').get('tokens');
          get.onsuccess = () => resolve((get.result as StoredTokens | undefined) ?? null);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/**
 * Everything the app origin keeps that a script there could read: Web Storage, every IndexedDB
 * database and store, Cache Storage bodies, and the cookies of every origin the app talks to.
 */
export async function appOriginDump(page: Page, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const out: unknown[] = [{ ...localStorage }, { ...sessionStorage }];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        out.push({ db: info.name, store, all });
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) out.push(await (await cache.match(request))?.text());
    }
    out.push(document.cookie);
    return JSON.stringify(out);
  });
  return inPage + JSON.stringify(await context.cookies());
}

/** The SHA-256 the dev host's request log keeps for an Authorization header value. */
export function authorizationHash(value: string): string {
  return sha256(value);
}
