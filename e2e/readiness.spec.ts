import { ENGINE_NEUTRAL, channelFetch, expect, openApp, pageFetch, signIn, test } from './fixtures.js';

test.describe('readiness', () => {
  test('requests made before the vault is ready wait for it, then succeed', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const url = `${devHost.vault.origins.api}/v1/profile`;
    // Runs before any script of the page: the worker has no channel for this page yet.
    await page.addInitScript((url) => {
      (window as unknown as { early: Promise<number> }).early = fetch(url, { headers: { authorization: 'Bearer REDACTED' } }).then((r) => r.status);
    }, url);
    await page.reload();
    expect(await page.evaluate(() => (window as unknown as { early: Promise<number> }).early)).toBe(200);
    await expect(page.locator('#status')).toHaveText('ready');
  });

  test('an upstream that cannot be reached: 502 TV_UPSTREAM_UNREACHABLE', { tag: ENGINE_NEUTRAL }, async ({ context, page, devHost }) => {
    await signIn(page, devHost);
    await context.route(`${devHost.vault.origins.api}/**`, (route) => route.abort('connectionrefused'));
    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_UPSTREAM_UNREACHABLE' });
  });

  test("the client's sign-in chunk loads after the page's load event, unasked", async ({ page, devHost }) => {
    // Sign-in, logout and user() are a chunk the client imports after ready, so that a popup
    // sign-in from a click finds it in. The drop-in demo asks for none of them at start: its page's
    // load event must not wait for that chunk (Firefox holds a page's load while an import() is in
    // flight). An image of the page, held here, keeps its load event back past ready.
    let releaseImage!: () => void;
    const imageHeld = new Promise<void>((resolve) => (releaseImage = resolve));
    await page.route('**/held-image.png', async (route) => {
      await imageHeld;
      await route.fulfill({ status: 404 });
    });
    const readyStates: string[] = [];
    await page.route(/accountCalls[^/]*\.js(\?.*)?$/, async (route) => {
      readyStates.push(
        await route
          .request()
          .frame()
          .evaluate(() => document.readyState),
      );
      await route.continue();
    });
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const image = document.createElement('img');
        image.src = '/held-image.png';
        document.body.append(image);
      });
    });
    await page.goto(`${devHost.vault.origins.app}/`, { waitUntil: 'domcontentloaded' });
    await expect(page.locator('#status')).toHaveText('ready');
    // After ready, and after a round trip through the proxy since: no request for the chunk yet.
    expect(await page.evaluate(() => document.readyState)).toBe('interactive');
    expect(await page.evaluate(async () => (await window.demo.vault.status()).signedIn)).toBe(false);
    expect(readyStates).toEqual([]);
    releaseImage();
    // Once the page has loaded, the chunk loads, unasked.
    await expect.poll(() => readyStates).toEqual(['complete']);
  });

  test('the demo stays usable once ready: a second page load reuses the worker', async ({ page, devHost }) => {
    await openApp(page, devHost);
    await page.reload();
    await expect(page.locator('#status')).toHaveText('ready');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  });
});

test.describe('readiness, sealed mode', () => {
  test.use({ devHostOptions: { demo: 'sealed' } });

  test("the client's sign-in chunk is fetched as the page parses: the build preloads it in sealed mode", async ({ page, devHost }) => {
    // A sealed app signs in and asks who did (user()) through that chunk, the demo at ready: the
    // Vite plugin writes a modulepreload of it, so it is not fetched only after ready.
    // The chunk's fetch starts before createVault registers the worker, which it does once the
    // app's script runs (without the preload, the fetch starts after ready, so after that).
    await page.addInitScript(() => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to its own receiver below
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (this: ServiceWorkerContainer, ...args: Parameters<typeof register>) {
        (window as unknown as { registeredAt: number }).registeredAt = performance.now();
        return register.apply(this, args);
      };
    });
    await openApp(page, devHost);
    const order = await page.evaluate(() => {
      const chunk = performance.getEntriesByType('resource').find((entry) => /\/accountCalls[^/]*\.js$/.test(new URL(entry.name).pathname));
      const { registeredAt } = window as unknown as { registeredAt?: number };
      return chunk === undefined || registeredAt === undefined ? 'missing' : chunk.startTime < registeredAt ? 'chunk first' : 'worker first';
    });
    expect(order).toBe('chunk first');
    await expect(page.locator('#user')).toHaveText('signed out');
  });
});

test.describe('time limits', () => {
  // Short limits, so that what must fail fails quickly; the proxy's hello keeps 4 s. At 2 s a first
  // visit in a loaded Firefox sometimes missed it: the next test's page stayed "unavailable" (an
  // order-dependent failure seen at stop 27, when two tests of this file ran elsewhere).
  test.use({ devHostOptions: { timeouts: { proxyMs: 4000, upstreamMs: 2000 } } });

  test('proxy not loaded: ready fails with TV_PROXY_UNREACHABLE and routed requests answer 503', async ({ page, devHost }) => {
    const { api } = devHost.vault.origins;
    // The proxy origin's server is down: the frame gets an error page, never the proxy.
    devHost.vault.outage.add('proxy');
    await page.goto(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#status')).toHaveText('unavailable');
    await expect(page.locator('#error')).toContainText('TV_PROXY_UNREACHABLE');

    for (const response of [await pageFetch(page, `${api}/v1/profile`), await channelFetch(page, `${api}/v1/profile`)]) {
      expect(response.status).toBe(503);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_PROXY_UNREACHABLE' });
    }
    expect(devHost.vault.requestLog.find('api')).toHaveLength(0);
  });

  test('proxy unreachable after it was ready: requests answer 503 within the time limit, never hang', async ({ page, devHost }) => {
    await signIn(page, devHost);
    // Something (an app bug, an extension) removes the proxy frame: its ports go silent.
    await page.evaluate(() => {
      const frame = document.querySelector('iframe[title="Token Vault proxy"]');
      if (!frame) throw new Error('the app has no proxy frame');
      frame.remove();
    });
    const url = `${devHost.vault.origins.api}/v1/profile`;
    // Both at once: each waits out the same limit on its own path (the worker's, the client's).
    for (const response of await Promise.all([pageFetch(page, url), channelFetch(page, url)])) {
      expect(response.status).toBe(503);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_PROXY_UNREACHABLE' });
    }
  });

  test('an upstream that does not answer in time: 504 TV_UPSTREAM_TIMEOUT', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await signIn(page, devHost);
    const url = `${devHost.vault.origins.api}/v1/slow`;
    for (const response of await Promise.all([pageFetch(page, url), channelFetch(page, url)])) {
      expect(response.status).toBe(504);
      expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_UPSTREAM_TIMEOUT' });
    }
    // Within the limit it is an ordinary answer.
    expect((await pageFetch(page, `${url}?ms=10`)).status).toBe(200);
  });
});
