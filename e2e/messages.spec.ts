import { apiCalls, expect, openApp, pageFetch, signIn, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';

const V = 'tokenvault/1';

test.describe('messages from the wrong place, of the wrong shape, or of the wrong version', () => {
  test('a message from a foreign origin is ignored: no answer, no request', async ({ page, devHost }) => {
    const { api, evil, proxy } = devHost.vault.origins;
    await signIn(page, devHost);
    // A page the app opened (signed in) talks to its proxy frame directly, through window.opener. (A
    // page that opens the app holds a severed handle: the app's pages send COOP same-origin-allow-popups.)
    const [attacker] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => void window.open(url, 'evil'), `${evil}/`)]);
    await attacker.waitForLoadState();
    await attacker.evaluate(
      ({ proxy, api, V }) => {
        const victim = window.opener as Window | null;
        if (!victim) throw new Error('the victim window is gone');
        const channel = new MessageChannel();
        const received: unknown[] = [];
        (window as unknown as { received: unknown[] }).received = received;
        channel.port1.onmessage = (event) => received.push(event.data);
        // Whatever comes back to this window itself (an answer to the ask for "listening", say).
        window.addEventListener('message', (event) => received.push(event.data));
        victim.frames[0].postMessage({ v: V, type: 'ask-listening' }, proxy);
        victim.frames[0].postMessage({ v: V, type: 'connect', role: 'page' }, proxy, [channel.port2]);
        channel.port1.postMessage({ v: V, type: 'fetch', id: 1, request: { url: `${api}/v1/profile`, method: 'GET', headers: [], body: null } });
      },
      { proxy, api, V },
    );
    await page.bringToFront();
    // Ten round trips of the app through the same proxy: the attacker's message was handled (and
    // dropped) long before the last of them.
    for (let i = 0; i < 10; i += 1) {
      expect(await page.evaluate((url) => window.demo.vault.fetch(url).then((r) => r.status), `${api}/v1/profile`)).toBe(200);
    }
    expect(await attacker.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(10);
  });

  test('malformed messages from the app origin get a typed error and change nothing', async ({ page, devHost }) => {
    const { api, proxy } = devHost.vault.origins;
    await signIn(page, devHost);
    const before = await storedTokens(page, devHost);
    const replies = await page.evaluate(
      async ({ proxy, api, V }) => {
        const frame = document.querySelector<HTMLIFrameElement>('iframe[title="Token Vault proxy"]')?.contentWindow;
        if (!frame) throw new Error('the app has no proxy frame');
        const next = (port: MessagePort) =>
          new Promise<unknown>(
            (resolve) =>
              (port.onmessage = (event) => {
                resolve(event.data);
              }),
          );
        const out: Record<string, unknown> = {};

        // A connect without a port: answered on the window, to this origin only.
        const windowReply = new Promise<unknown>((resolve) => {
          const listener = (event: MessageEvent) => {
            if (event.origin !== proxy) return;
            window.removeEventListener('message', listener);
            resolve(event.data);
          };
          window.addEventListener('message', listener);
        });
        frame.postMessage({ v: V, type: 'connect', role: 'page' }, proxy);
        out.connectWithoutPort = await windowReply;

        const bad = new MessageChannel();
        frame.postMessage({ v: V, type: 'connect', role: 'admin' }, proxy, [bad.port2]);
        out.connectWithBadRole = await next(bad.port1);

        const channel = new MessageChannel();
        frame.postMessage({ v: V, type: 'connect', role: 'page' }, proxy, [channel.port2]);
        out.hello = await next(channel.port1);
        const ask = async (message: unknown) => {
          const reply = next(channel.port1);
          channel.port1.postMessage(message);
          return reply;
        };
        const request = { url: `${api}/v1/profile`, method: 'GET', headers: [], body: null };
        out.unknownType = await ask({ v: V, type: 'steal-tokens', id: 5 });
        out.headersAsObject = await ask({ v: V, type: 'fetch', id: 6, request: { ...request, headers: { authorization: 'x' } } });
        out.extraField = await ask({ v: V, type: 'fetch', id: 7, request, rules: [{ origin: 'http://evil.localhost' }] });
        out.notAnObject = await ask('GET /v1/profile');
        out.otherVersion = await ask({ v: 'tokenvault/99', type: 'fetch', id: 8, request });
        return out;
      },
      { proxy, api, V },
    );
    expect(replies.connectWithoutPort).toMatchObject({ type: 'error', id: -1, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.connectWithBadRole).toMatchObject({ type: 'error', id: -1, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.hello).toMatchObject({
      type: 'hello',
      endpoints: { issuer: devHost.vault.origins.op, token: `${devHost.vault.origins.op}/token`, revocation: `${devHost.vault.origins.op}/token/revocation` },
    });
    expect(replies.unknownType).toMatchObject({ type: 'error', id: 5, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.headersAsObject).toMatchObject({ type: 'error', id: 6, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.extraField).toMatchObject({ type: 'error', id: 7, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.notAnObject).toMatchObject({ type: 'error', id: -1, error: 'TV_MALFORMED_MESSAGE' });
    expect(replies.otherVersion).toMatchObject({ type: 'error', id: 8, error: 'TV_VERSION_MISMATCH' });
    // Nothing was sent, nothing changed.
    expect(apiCalls(devHost, '/v1/profile')).toHaveLength(0);
    expect(await storedTokens(page, devHost)).toEqual(before);
  });

  test('a worker of another protocol version is detected and updated once, not looped', async ({ browserName, context, page, devHost }) => {
    test.skip(browserName !== 'chromium', 'Playwright routes a service worker script request only in Chromium');
    const { app, api } = devHost.vault.origins;
    // The first worker script this browser gets is from another release.
    await context.route(
      `${app}/sw.js`,
      async (route) => {
        const real = await devHost.inject({ url: '/sw.js', headers: { host: new URL(app).host } });
        await route.fulfill({ contentType: 'text/javascript', headers: { 'cache-control': 'no-cache' }, body: real.body.replaceAll(V, 'tokenvault/0') });
      },
      { times: 1 },
    );
    await openApp(page, devHost);
    await expect(page.locator('#events')).toContainText('control: update');
    // The updated worker routes through the proxy: not signed in, so a typed 401 from the vault.
    const response = await pageFetch(page, `${api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    expect(devHost.vault.requestLog.find('app', '/sw.js').length).toBeGreaterThanOrEqual(2);
  });

  test('a proxy of another protocol version: one reload, then TV_VERSION_MISMATCH, no loop', { tag: ENGINE_NEUTRAL }, async ({ context, page, devHost }) => {
    const { app, proxy } = devHost.vault.origins;
    await context.route(`${proxy}/assets/**`, async (route) => {
      // Node's resolver does not know *.localhost: ask the dev host in process.
      const real = await devHost.inject({ url: new URL(route.request().url()).pathname, headers: { host: new URL(proxy).host } });
      await route.fulfill({ contentType: 'text/javascript', body: real.body.replaceAll(V, 'tokenvault/2') });
    });
    await page.goto(`${app}/`);
    await expect(page.locator('#error')).toContainText('TV_VERSION_MISMATCH', { timeout: 20_000 });
    await expect(page.locator('#status')).toHaveText('unavailable');
    // The first load, and exactly one reload.
    expect(devHost.vault.requestLog.find('app', '/').filter((entry) => entry.path === '/')).toHaveLength(2);
  });
});
