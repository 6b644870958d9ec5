import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { appOriginDump, authorizationHash, pageFetch, signIn, storedTokens, text, useWebKit } from './harness.js';
import { callHostApi, hostApiCalls, inApp, openHost, waitForApp } from './hostPage.js';
import { defined } from '@tokenvault/test-support';

// e2e/host.spec.ts in WebKitGTK. The app is a third-party frame under http://host.localhost: WebKit
// gives it (and its proxy frame) storage and a service worker partitioned by the host's site, and no
// third-party cookies. The handoff needs none of the app's own storage: the ID stays in the proxy's memory.
// In-page scripts (selenium runs them as function bodies; the last argument of an async one is its callback).
/** Posts arguments[0] to every frame of the app's window (reached by arguments[1]) at the proxy origin (arguments[2]); calls back with the first answer from there. */
const POST_TO_PROXY_FRAMES = `
  const [message, path, proxyOrigin, done] = arguments;
  const app = path === 'own-frame' ? document.getElementById('app').contentWindow : window.victim.frames[0];
  window.addEventListener('message', (event) => { if (event.origin === proxyOrigin) done(event.data); });
  for (let i = 0; i < app.length; i++) app.frames[i].postMessage(message, proxyOrigin);
  setTimeout(() => done(null), 3000);`;
const RECORD_MESSAGES = `
  window.recorded = [];
  window.addEventListener('message', (event) => window.recorded.push({ origin: event.origin, data: typeof event.data === 'string' ? event.data : JSON.stringify(event.data) }));`;
const ASK_READY = `for (let i = 0; i < 3; i++) window.parent.postMessage('{"message_id":"ready","data":{}}', arguments[0]);`;
/** App-origin script: a port of its own to the vault's proxy frame (after an optional reload of that frame), then a host-session of its own and a host API fetch on it. */
const ATTACK = `
  const [proxyOrigin, hostApi, reload, done] = arguments;
  (async () => {
    const frame = document.querySelector('iframe[title="Token Vault proxy"]');
    if (reload) {
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      frame.src = frame.src;
      await loaded;
    }
    const { port1, port2 } = new MessageChannel();
    const replies = [];
    port1.onmessage = (event) => replies.push(event.data);
    frame.contentWindow.postMessage({ v: 'tokenvault/1', type: 'connect', role: 'page' }, proxyOrigin, [port2]);
    const reply = (id) => new Promise((resolve) => { const poll = () => { const r = replies.find((x) => x.id === id); r ? resolve(r) : setTimeout(poll, 20); }; poll(); });
    while (!replies.some((r) => r.type === 'hello')) await new Promise((r) => setTimeout(r, 20));
    port1.postMessage({ v: 'tokenvault/1', type: 'host-session', id: 1, sessionId: 'the-attackers-id' });
    const own = await reply(1);
    let fetched;
    for (let id = 2; id < 60; id++) {
      port1.postMessage({ v: 'tokenvault/1', type: 'fetch', id, request: { url: hostApi, method: 'GET', headers: [], body: null } });
      fetched = await reply(id);
      if (fetched.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    done({ own: own.error ?? own.type, fetched: fetched.status ?? fetched.error });
  })();`;

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
    expect(calls[0].authorization?.sha256).toBe(authorizationHash(devHost.vault.hostSessionId));
    expect(calls[0].headers.origin).toBe(devHost.vault.origins.proxy);
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

  test('app-origin script that listens and asks "ready" again receives no session ID, before and after the handoff', async () => {
    const { driver, devHost } = wk;
    const { host } = devHost.vault.origins;
    await openHost(wk, '/?hold', false);
    await inApp(wk, async () => {
      await driver.executeScript(RECORD_MESSAGES);
      await driver.executeScript(ASK_READY, host);
    });
    await expect.poll(async () => defined(await text(driver, '#log')).split('ignored a message (app)').length - 1).toBe(3);
    await driver.executeScript('window.host.release()');
    const recorded = await inApp(wk, async () => {
      await expect.poll(() => text(driver, '#host-session')).toBe('held by the vault');
      await driver.executeScript(ASK_READY, host);
      return driver.executeScript<{ origin: string; data: string }[]>('return window.recorded');
    });
    await expect.poll(async () => defined(await text(driver, '#log')).split('ignored a message (app)').length - 1).toBe(6);
    expect(await callHostApi(wk)).toContain('"session": "valid"');
    expect(JSON.stringify(recorded)).not.toContain(devHost.vault.hostSessionId);
    expect(recorded.filter((message) => message.origin === host)).toEqual([]);
  });

  test('a handoff from http://evil.localhost is refused with TV_ORIGIN_REJECTED', async () => {
    const { driver, devHost } = wk;
    const { host, evil, proxy } = devHost.vault.origins;
    await driver.get(`${evil}/`);
    const evilWindow = await driver.getWindowHandle();
    // A popup needs a user's click in WebKit: a button the attacker's page shows, clicked.
    await driver.executeScript(
      "const b = document.createElement('button'); b.id = 'open'; b.textContent = 'open'; b.onclick = () => (window.victim = window.open(arguments[0])); document.body.append(b)",
      `${host}/?hold`,
    );
    await driver.findElement(By.css('#open')).click();
    await expect.poll(async () => (await driver.getAllWindowHandles()).length, { timeout: 10_000 }).toBe(2);
    const hostWindow = defined((await driver.getAllWindowHandles()).find((handle) => handle !== evilWindow));
    await driver.switchTo().window(hostWindow);
    await waitForApp(wk, false);
    await driver.switchTo().window(evilWindow);
    const answer = await driver.executeAsyncScript(POST_TO_PROXY_FRAMES, { v: 'tokenvault/1', type: 'host-session', sessionId: 'an-evil-session-id' }, 'victim-frame', proxy);
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED' });
    await driver.switchTo().window(hostWindow);
    await driver.executeScript('window.host.release()');
    await inApp(wk, () => expect.poll(() => text(driver, '#host-session')).toBe('held by the vault'));
    expect(await callHostApi(wk)).toContain('"session": "valid"');
    expect(hostApiCalls(wk).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  test('a second handoff from the host itself is refused with TV_HOST_SESSION_ALREADY_SET', async () => {
    const { driver, devHost } = wk;
    await openHost(wk);
    const answer = await driver.executeAsyncScript(
      POST_TO_PROXY_FRAMES,
      { v: 'tokenvault/1', type: 'host-session', sessionId: 'a-second-session-id' },
      'own-frame',
      devHost.vault.origins.proxy,
    );
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_HOST_SESSION_ALREADY_SET' });
    expect(await callHostApi(wk)).toContain('"session": "valid"');
    expect(hostApiCalls(wk).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  for (const reload of [false, true]) {
    test(`app-origin script's own host-session on its own port${reload ? ', after reloading the proxy frame,' : ''} is refused; the host API gets the host's ID`, async () => {
      const { driver, devHost } = wk;
      const { proxy, host } = devHost.vault.origins;
      await openHost(wk);
      const outcome = await inApp(wk, () => driver.executeAsyncScript<{ own: string; fetched: number | string }>(ATTACK, proxy, `${host}/api/v1/me`, reload));
      expect(outcome).toEqual({ own: 'TV_HOST_SESSION_REFUSED', fetched: 200 });
      if (reload) expect(defined(await text(driver, '#log')).split('the vault took it').length - 1).toBe(2);
      const calls = hostApiCalls(wk);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.map((call) => call.authorization?.sha256)).toEqual(calls.map(() => authorizationHash(devHost.vault.hostSessionId)));
    });
  }
});
