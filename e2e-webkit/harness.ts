import { build, type DevHostOptions } from '@tokenvault/dev-host';
import type { FastifyInstance } from 'fastify';
export { apiCalls, authorizationHash, jwtClaims, opForm, perApiLogoutRevocations, profileAuthorizations, tokenRequests } from '../e2e/devHostQueries.js';
import { originStorageInPage, readTokensInPage, type StoredTokens } from '../e2e/inPage.js';
export type { StoredTokens };
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { defined } from '@tokenvault/test-support';

/** What a WebKit test works with: its own browser session, and the file's dev host. */
export interface WebKitContext {
  readonly driver: WebDriver;
  readonly devHost: FastifyInstance;
}

/** This vitest worker's index, from 0 (vitest numbers its workers from 1 in VITEST_POOL_ID). */
function workerIndex(): number {
  return Math.max(0, Number(process.env.VITEST_POOL_ID ?? 1) - 1);
}

/**
 * The dev host of WebKit worker _i_ listens on E2E_PORT_BASE + 20 + _i_: the Playwright workers use
 * the base and the next ones, nginx (chromium-nginx) E2E_PORT_BASE + 10 and the next, and the
 * suites may run side by side.
 */
export function webKitPort(): number {
  return Number(process.env.E2E_PORT_BASE ?? 8180) + 20 + workerIndex();
}

/** This worker's own WebKitWebDriver (globalSetup starts one per worker). */
function webDriverUrl(): string {
  const urls = inject('webDriverUrls');
  return urls[workerIndex() % urls.length];
}

function requestSession(): WebDriver {
  return new Builder()
    .usingServer(webDriverUrl())
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: inject('miniBrowser'), args: ['--automation'] },
    })
    .build();
}

/**
 * Opens a fresh MiniBrowser session (an ephemeral profile: no worker, cookie or storage left from
 * another test). Once in a full run on a busy machine, WebKitWebDriver never answered a new-session
 * request (the browser did not come up; nothing of the vault had run yet), and the test timed out in
 * its hook. So a launch gets `launchMs`, then is asked for once more; a session that arrives late is
 * closed. Launching the browser is the harness's business: a test's own steps are never retried.
 */
export async function newSession(launchMs = 20_000, attempts = 2): Promise<WebDriver> {
  for (let attempt = 1; ; attempt++) {
    const driver = requestSession();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve('late');
        }, launchMs)),
    );
    const outcome = await Promise.race([driver.getSession().then(() => 'up' as const), late]).finally(() => {
      clearTimeout(timer);
    });
    if (outcome === 'up') return driver;
    void driver
      .getSession()
      .then(() => driver.quit())
      .catch(() => undefined);
    if (attempt >= attempts) throw new Error(`WebKitWebDriver did not open a MiniBrowser session within ${launchMs} ms, ${attempts} times`);
  }
}

/**
 * Registers the hooks of a WebKit test file: one dev host for the file (its request log cleared
 * before each test), one browser session per test. `options` go to the dev host, for example short
 * token lifetimes for refresh cases.
 *
 * @example
 * ```ts
 * const wk = useWebKit({ accessTokenTtl: 5 })
 * test('…', async () => { await signIn(wk) })
 * ```
 */
export function useWebKit(options: Omit<DevHostOptions, 'port'> = {}): WebKitContext {
  let devHost: FastifyInstance | undefined;
  let driver: WebDriver | undefined;
  beforeAll(async () => {
    const port = webKitPort();
    // The existing suite runs against the drop-in demo; sealed files pass `{ demo: 'sealed' }`.
    devHost = await build({ demo: 'drop-in', ...options, port });
    await devHost.listen({ port, host: 'localhost' });
  });
  afterAll(async () => {
    await devHost?.close();
  });
  beforeEach(async () => {
    defined(devHost).vault.requestLog.clear();
    defined(devHost).vault.api.deniedJti.clear();
    defined(devHost).vault.outage.clear();
    defined(devHost).vault.api.dpop.nonceMode = 'off';
    defined(devHost).vault.op.dpopNonce = 'off';
    driver = await newSession();
  });
  afterEach(async () => {
    await driver?.quit();
    driver = undefined;
  });
  return {
    get driver() {
      if (!driver) throw new Error('no browser session outside a test');
      return driver;
    },
    get devHost() {
      if (!devHost) throw new Error('no dev host outside a test');
      return devHost;
    },
  };
}

/**
 * Opens a new tab in the test's browser session, switches to it and returns its handle (for two-tab
 * cases: logout seen in another tab, refresh in two tabs at once).
 *
 * @example
 * ```ts
 * const first = await wk.driver.getWindowHandle()
 * const second = await newTab(wk)
 * await openApp(wk)
 * await inTab(wk, first, () => wk.driver.findElement(By.id('sign-out')).click())
 * ```
 */
export async function newTab({ driver }: WebKitContext): Promise<string> {
  await driver.switchTo().newWindow('tab');
  return driver.getWindowHandle();
}

/** Runs `body` in the tab `handle`, then switches back to the tab that was current. */
export async function inTab<T>({ driver }: WebKitContext, handle: string, body: () => Promise<T>): Promise<T> {
  const current = await driver.getWindowHandle();
  await driver.switchTo().window(handle);
  try {
    return await body();
  } finally {
    await driver.switchTo().window(current);
  }
}

/** The text of the first element matching a CSS selector, or null when there is none. */
export async function text(driver: WebDriver, selector: string): Promise<string | null> {
  return driver.executeScript<string | null>('return document.querySelector(arguments[0])?.textContent ?? null', selector);
}

/** Opens the demo and waits until the vault is ready. */
export async function openApp({ driver, devHost }: WebKitContext): Promise<void> {
  await driver.get(`${devHost.vault.origins.app}/`);
  await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
}

/**
 * Clicks a button once it is enabled. The examples enable theirs when their start has finished, which
 * is after `#status` reads "ready": a click on a disabled button is dropped (Playwright's `click`
 * waits for this itself; WebDriver's does not).
 */
export async function clickEnabled(driver: WebDriver, id: string): Promise<void> {
  const button = await driver.findElement(By.id(id));
  await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true);
  await button.click();
}

/** Fills the OP's real login form. */
export async function login(driver: WebDriver, username = 'alice', password = username === 'bob' ? 'builder' : 'wonderland'): Promise<void> {
  await driver.findElement(By.name('username')).sendKeys(username);
  await driver.findElement(By.name('password')).sendKeys(password);
  await driver.findElement(By.css('button[type=submit]')).click();
}

/** Signs in through the demo: its button, the OP's form, back to the app, code redeemed through the vault. */
export async function signIn(wk: WebKitContext, username = 'alice'): Promise<void> {
  const { driver, devHost } = wk;
  await openApp(wk);
  await driver.findElement(By.id('sign-in')).click();
  await expect.poll(() => driver.getCurrentUrl(), { timeout: 10_000 }).toMatch(new RegExp(`^${devHost.vault.origins.op}/`));
  await login(driver, username);
  await expect.poll(() => text(driver, '#token-response'), { timeout: 20_000 }).toContain('"access_token": "REDACTED"');
  await expect.poll(() => text(driver, '#user')).toBe(username);
}

/** Runs `body` with the driver switched into the page's proxy iframe. */
export async function inProxyFrame<T>({ driver, devHost }: WebKitContext, body: () => Promise<T>): Promise<T> {
  const frames = await driver.findElements(By.css(`iframe[src^="${devHost.vault.origins.proxy}/"]`));
  if (frames.length !== 1) throw new Error(`expected one proxy frame, found ${frames.length}`);
  await driver.switchTo().frame(frames[0]);
  try {
    return await body();
  } finally {
    await driver.switchTo().defaultContent();
  }
}

/** The script that reads the proxy's token record from the IndexedDB of the context it runs in. */
export const READ_TOKENS = `return (${readTokensInPage.toString()})();`;

/** What the proxy origin's IndexedDB holds, read inside the proxy frame (WebKit partitions it by the top-level site). */
export async function storedTokens(wk: WebKitContext): Promise<StoredTokens | null> {
  return inProxyFrame(wk, () => wk.driver.executeScript<StoredTokens | null>(READ_TOKENS));
}

/**
 * Everything the app origin keeps that a script there could read: Web Storage, every IndexedDB
 * database and store, Cache Storage bodies, and cookies.
 */
export async function appOriginDump(driver: WebDriver): Promise<string> {
  const inPage = await driver.executeScript<string>(`return (${originStorageInPage.toString()})();`);
  return inPage + JSON.stringify(await driver.manage().getCookies());
}

export interface PageResponse {
  status: number;
  text: string;
}

/**
 * A fetch made by the page itself (so through the interceptor worker when the URL is routed), with
 * the placeholder bearer a standard OIDC client library sends; as `pageFetch` in e2e/fixtures.ts.
 */
export async function pageFetch(driver: WebDriver, url: string): Promise<PageResponse> {
  return driver.executeScript<PageResponse>(
    `return fetch(arguments[0], { headers: { authorization: 'Bearer REDACTED' } })
       .then(async (response) => ({ status: response.status, text: await response.text() }))`,
    url,
  );
}

/** What the demo's session monitor reported so far, in order. */
export async function sessionEvents(driver: WebDriver): Promise<string[]> {
  return driver.executeScript<string[]>('return [...window.demo.sessionEvents]');
}
