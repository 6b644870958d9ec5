import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { appOriginDump, authorizationHash, pageFetch, signIn, storedTokens, text, useWebKit, type WebKitContext } from './harness.js';

/** Opens the sample host page (http://host.localhost, another site than the app) and waits for the embedded demo's vault. */
async function openHost({ driver, devHost }: WebKitContext): Promise<void> {
  await driver.get(`${devHost.vault.origins.host}/`);
  await expect.poll(async () => (await driver.findElements(By.css('iframe#app'))).length, { timeout: 10_000 }).toBe(1);
  await inApp({ driver, devHost }, async () => {
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => text(driver, '#host-session'), { timeout: 10_000 }).toBe('held by the vault');
  });
}

/** Runs `body` with the driver switched into the embedded demo's frame (the app, third-party under the host). */
async function inApp<T>({ driver }: WebKitContext, body: () => Promise<T>): Promise<T> {
  await driver.switchTo().frame(await driver.findElement(By.css('iframe#app')));
  try {
    return await body();
  } finally {
    await driver.switchTo().defaultContent();
  }
}

/** Calls the host API from the embedded app (a plain fetch, routed by the worker to the proxy) and returns what the app showed. */
async function callHostApi(wk: WebKitContext): Promise<string> {
  return inApp(wk, async () => {
    await wk.driver.executeScript("document.getElementById('call-host-api').click()");
    await expect.poll(() => text(wk.driver, '#api-response')).toContain('"status"');
    return (await text(wk.driver, '#api-response'))!;
  });
}

const hostApiCalls = (wk: WebKitContext) => wk.devHost.vault.requestLog.find('host', '/api/v1/me').filter((entry) => entry.method === 'GET');

// e2e/host.spec.ts in WebKitGTK. The app is a third-party frame under http://host.localhost: WebKit
// gives it (and its proxy frame) storage and a service worker partitioned by the host's site, and no
// third-party cookies. The handoff needs none of the app's own storage: the ID stays in the proxy's memory.
describe('WebKit: the host session handoff ("ready" / "session_id")', () => {
  const wk = useWebKit();

  test('the handshake works with the app embedded cross-site, and the embedded vault runs', async () => {
    const { driver } = wk;
    await openHost(wk);
    await expect.poll(() => text(driver, '#log')).toContain('handed it the session ID');
    expect(await text(driver, '#log')).toContain('the app is ready');
    expect(await text(driver, '#log')).not.toContain('ignored');
    // The embedded app's own service worker controls it (registered in the host's partition).
    expect(await inApp(wk, () => driver.executeScript('return navigator.serviceWorker.controller?.scriptURL'))).toBe(`${wk.devHost.vault.origins.app}/sw.js`);
  });

  test('the host API call gets the session ID in the Authorization header, from the proxy', async () => {
    const { devHost } = wk;
    await openHost(wk);
    const shown = await callHostApi(wk);
    expect(shown).toContain('"status": 200');
    expect(shown).toContain('"session": "valid"');
    const calls = hostApiCalls(wk);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.authorization?.sha256).toBe(authorizationHash(devHost.vault.hostSessionId));
    expect(calls[0]!.headers.origin).toBe(devHost.vault.origins.proxy);
  });

  test("the session ID is never in the app origin's storage", async () => {
    const { driver, devHost } = wk;
    await openHost(wk);
    expect(await callHostApi(wk)).toContain('"session": "valid"');
    const { dump, window } = await inApp(wk, async () => ({
      dump: await appOriginDump(driver),
      window: await driver.executeScript<string>('return JSON.stringify({ demo: window.demo.config, events: window.demo.sessionEvents, body: document.body.innerText })'),
    }));
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain(devHost.vault.hostSessionId);
    // Nor anywhere the app's script can reach on its window.
    expect(window).not.toContain(devHost.vault.hostSessionId);
  });

  test('after a top-level visit the embedded app has a vault of its own partition: the handoff works, tokens fail closed', async () => {
    const { driver, devHost } = wk;
    // The user signed in to the app opened on its own (its own top-level partition).
    await signIn(wk);
    expect(await storedTokens(wk)).not.toBeNull();
    devHost.vault.requestLog.clear();

    // The same app under the host: its worker registers again, in the host's partition, and the
    // vault comes up (this once failed with TV_PROXY_UNREACHABLE: the worker was already active
    // when `ready` checked, and WebKit's late controllerchange superseded the connection).
    await openHost(wk);
    expect(await callHostApi(wk)).toContain('"session": "valid"');
    expect(hostApiCalls(wk).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);

    // The tokens are in the top-level partition only: here the vault holds none and says so.
    const { user, response } = await inApp(wk, async () => ({
      user: await text(driver, '#user'),
      response: await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`),
    }));
    expect(user).toBe('signed out');
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    expect(devHost.vault.requestLog.find('api')).toHaveLength(0);
    // No request of the embedded app carried an access token: only the host API got a credential, the session ID.
    expect(devHost.vault.requestLog.entries.filter((entry) => entry.authorization).map((entry) => `${entry.origin} ${entry.path}`)).toEqual(['host /api/v1/me']);
  });
});
