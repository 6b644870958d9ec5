import { createHash, randomBytes } from 'node:crypto';
import { test as base, expect as baseExpect, type Browser, type BrowserContext, type CDPSession, type Frame, type Page } from '@playwright/test';
import { build, type DevHostOptions } from '@tokenvault/dev-host';
import type { FastifyInstance } from 'fastify';
export { apiCalls, authorizationHash, jwtClaims, opForm, perApiLogoutRevocations, profileAuthorizations, tokenRequests } from './devHostQueries.js';
import { cryptoKeysInPage, deleteDpopKeyInPage, dpopKeyInPage, originStorageInPage, readTokensInPage, type DpopKeyFacts, type StoredTokens } from './inPage.js';
export { cryptoKeysInPage, deleteDpopKeyInPage, dpopKeyInPage, type DpopKeyFacts };
export { outsideApiRequest, outsideProof } from './outsideBrowser.js';
export { readTokensInPage, type StoredTokens };
import { serveDemoWithNginx } from './nginxSite.js';
import { defined } from '@tokenvault/test-support';

/**
 * Playwright's `expect`, with `expect.poll` asking every 50-200 ms instead of backing off to once a
 * second (its default, 100, 250, 500, 1000 ms): a poll that waits two seconds for the proxy or the OP
 * otherwise sees the change up to a second late, and the suite has about 85 of them. A test's own
 * `intervals` still win.
 */
export const expect: typeof baseExpect = new Proxy(baseExpect, {
  get(target, property, receiver) {
    if (property !== 'poll') return Reflect.get(target, property, receiver) as unknown;
    const poll: typeof baseExpect.poll = (generator, options) =>
      target.poll(generator, typeof options === 'string' ? { message: options, intervals: POLL_INTERVALS } : { intervals: POLL_INTERVALS, ...options });
    return poll;
  },
});
const POLL_INTERVALS = [50, 100, 200];

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

/**
 * Tag for a test whose outcome the proxy's code, the OP or the API decides, over paths that other
 * tests already drive in every engine (the worker, the proxy frame's port, IndexedDB, the frames):
 * it runs in Chromium, and the firefox project leaves it out (`grepInvert` in playwright.config.ts).
 * Never for a test of storage, cookies, frames, messages between windows, the worker, URL parsing,
 * streams, COOP or a sign-in flow.
 */
export const ENGINE_NEUTRAL = '@engine-neutral';

export interface Fixtures {
  /** The dev host this test asked for: origins, request log, OP. */
  devHost: FastifyInstance;
  /**
   * Options for the dev host (`test.use({ devHostOptions: { accessTokenTtl: 5 } })`). A test option,
   * not a worker one: the worker keeps its browser and builds a new dev host only when a test asks
   * for other options (a worker option would start a new worker and browser per spec file).
   */
  devHostOptions: Omit<DevHostOptions, 'port'>;
  /** Skips a test tagged NEEDS_CDP outside Chromium (automatic). */
  engineGate: undefined;
}

export interface WorkerFixtures {
  /**
   * Who serves the app and proxy origins: the dev host itself, or (project chromium-nginx) nginx
   * serving the demo built with the Vite plugin, next to the dev host's OP and API.
   */
  servedBy: 'dev-host' | 'nginx';
  /** The worker's one running dev host, kept while consecutive tests ask for the same options. */
  devHostSlot: DevHostSlot;
}

/** One dev host per worker, on the worker's port: rebuilt when the options change, closed at the end. */
class DevHostSlot {
  private current: { key: string; app: FastifyInstance; site?: { stop(): Promise<void> } } | undefined;

  constructor(
    private readonly parallelIndex: number,
    private readonly servedBy: 'dev-host' | 'nginx',
  ) {}

  async get(options: Omit<DevHostOptions, 'port'>): Promise<FastifyInstance> {
    const key = JSON.stringify(options);
    if (this.current?.key === key) return this.current.app;
    await this.close();
    // E2E_PORT_BASE lets several checkouts run their suites side by side.
    const base = Number(process.env.E2E_PORT_BASE ?? 8180);
    const port = base + this.parallelIndex;
    // nginx listens 10 ports up (E2E_NGINX_PORT_BASE to choose).
    const webPort = Number(process.env.E2E_NGINX_PORT_BASE ?? base + 10) + this.parallelIndex;
    const web = this.servedBy === 'nginx' ? { appOrigin: `http://app.vault.localhost:${webPort}`, proxyOrigin: `http://proxy.vault.localhost:${webPort}` } : {};
    // The existing suite runs against the drop-in demo; sealed specs say `test.use({ devHostOptions: { demo: 'sealed' } })`.
    const app = await build({ demo: 'drop-in', ...options, ...web, port });
    await app.listen({ port, host: 'localhost' });
    const site =
      this.servedBy === 'nginx'
        ? await serveDemoWithNginx(app.vault.config).catch(async (err: unknown) => {
            await app.close();
            throw err;
          })
        : undefined;
    this.current = { key, app, site };
    return app;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.site?.stop();
    await current?.app.close();
  }
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  devHostOptions: [{}, { option: true }],
  servedBy: ['dev-host', { scope: 'worker', option: true }],
  devHostSlot: [
    async ({ servedBy }, use, workerInfo) => {
      const slot = new DevHostSlot(workerInfo.parallelIndex, servedBy);
      await use(slot);
      await slot.close();
    },
    { scope: 'worker' },
  ],
  devHost: async ({ devHostSlot, devHostOptions }, use) => {
    const workerDevHost = await devHostSlot.get(devHostOptions);
    workerDevHost.vault.requestLog.clear();
    workerDevHost.vault.api.deniedJti.clear();
    workerDevHost.vault.outage.clear();
    workerDevHost.vault.api.dpop.nonceMode = 'off';
    workerDevHost.vault.op.dpopNonce = 'off';
    await use(workerDevHost);
  },
  engineGate: [
    async ({ browserName }, use, testInfo) => {
      testInfo.skip(testInfo.tags.includes(NEEDS_CDP) && browserName !== 'chromium', `needs the Chrome DevTools protocol, which ${browserName} does not have`);
      await use(undefined);
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

/** What the proxy origin's IndexedDB holds, read inside the proxy frame. */
export async function storedTokens(page: Page, devHost: FastifyInstance): Promise<StoredTokens | null> {
  return proxyFrame(page, devHost).evaluate(readTokensInPage);
}

/**
 * Everything the app origin keeps that a script there could read: Web Storage, every IndexedDB
 * database and store, Cache Storage bodies, and the cookies of every origin the app talks to.
 */
export async function appOriginDump(page: Page | Frame, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(originStorageInPage);
  return inPage + JSON.stringify(await context.cookies());
}

export interface PageResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  text: string;
}

/**
 * A fetch made by the app page itself (so through the interceptor worker when the URL is routed),
 * with the placeholder bearer a standard OIDC client library sends.
 */
export async function pageFetch(page: Page, url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<PageResponse> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, { ...init, headers: { authorization: 'Bearer REDACTED', ...init.headers } });
      return {
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        text: await response.text(),
      };
    },
    { url, init },
  );
}

/** The same through the client's own channel (`vault.fetch`), skipping the worker. */
export async function channelFetch(page: Page, url: string): Promise<PageResponse> {
  return page.evaluate(async (url) => {
    const response = await window.demo.vault.fetch(url);
    return { status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers), text: await response.text() };
  }, url);
}

/**
 * Runs an authorization request for the demo client in a separate context without service workers
 * (so nothing redeems the code) and returns the code and its PKCE verifier, as an attacker with
 * script in the app origin or a test could.
 */
export async function obtainCode(browser: Browser, devHost: FastifyInstance, username = 'alice'): Promise<{ code: string; verifier: string; page: Page }> {
  const { app, op } = devHost.vault.origins;
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${op}/auth`);
  authorize.search = new URLSearchParams({
    client_id: 'demo',
    redirect_uri: `${app}/callback`,
    response_type: 'code',
    scope: 'openid api',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString();
  await page.goto(authorize.href);
  await login(page, username);
  await page.waitForURL(`${app}/callback?**`);
  const code = new URL(page.url()).searchParams.get('code');
  if (!code) throw new Error('no code in the redirect');
  return { code, verifier, page };
}

/** The demo app's frame inside a host page, once it is there. */
export async function appFrame(page: Page, devHost: FastifyInstance): Promise<Frame> {
  const prefix = `${devHost.vault.origins.app}/`;
  await expect.poll(() => page.frames().some((f) => f.url().startsWith(prefix))).toBe(true);
  return defined(page.frames().find((f) => f.url().startsWith(prefix)));
}

/** What the demo's session monitor reported so far, in order. */
export function sessionEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => [...window.demo.sessionEvents]);
}

/**
 * Chromium as it ships: Playwright turns third-party storage partitioning off (its issue #32230),
 * and Chromium then denies a cross-site frame any storage (no IndexedDB, no service worker). A
 * user's Chromium partitions instead. Chromium keeps only the last --disable-features switch, so
 * this repeats Playwright 1.64's list without ThirdPartyStoragePartitioning.
 */
export const PARTITIONED_STORAGE_ARGS = [
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,DialMediaRouteProvider,GlobalMediaControls,HttpsUpgrades,LensOverlay,MediaRouter,PaintHolding,BlockOriginHeaderModificationOnRedirect,AvoidCorsURLLoaderRestartOnRedirect,Translate,AutoDeElevate,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled',
];
