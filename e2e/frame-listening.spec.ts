import type { Page, Route } from '@playwright/test';
import { expect, openApp, pageFetch, test } from './fixtures.js';
import { countListening, seenFrom, withoutProxyLoadEvent } from './proxyFrameWatch.js';

// The proxy frame says "listening" to the app page as soon as its script runs, and the page posts
// its connect then instead of at the frame's load event. Only the page's own frame at the proxy
// origin may say so: a connect posted before the proxy listens goes to the frame's first
// about:blank and is lost, and the vault would never get ready (TV_PROXY_UNREACHABLE).

const V = 'tokenvault/1';
const LISTENING = { v: V, type: 'listening' };

/** Holds the proxy frame's page (`${proxy}/`, exactly) until `release()`: the frame stays about:blank. */
async function holdProxyPage(page: Page, proxy: string): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  let route: Route | undefined;
  let heldNow: () => void = () => {};
  const held = new Promise<void>((resolve) => (heldNow = resolve));
  await page.route(
    `${proxy}/`,
    (r) => {
      route = r;
      heldNow();
    },
    { times: 1 },
  );
  return {
    held,
    release: async () => {
      await route?.continue();
    },
  };
}

test.describe("the proxy frame's listening message", () => {
  test('the page connects when the frame listens, without waiting for its load event', async ({ page, devHost }) => {
    const { api, proxy } = devHost.vault.origins;
    await withoutProxyLoadEvent(page, proxy);
    await page.addInitScript(() => {
      if (window === window.top) {
        const marks = { proxyFrameLoaded: false };
        Object.assign(window, marks);
        document.addEventListener(
          'load',
          (event) => {
            if (event.target instanceof HTMLIFrameElement && event.target.title === 'Token Vault proxy') Object.assign(window, { proxyFrameLoaded: true });
          },
          true,
        );
      }
    });
    await countListening(page);
    // Not openApp: the app page's own load event waits for its frames' too.
    await page.goto(`${devHost.vault.origins.app}/`, { waitUntil: 'commit' });
    await expect(page.locator('#status')).toHaveText('ready');
    // Twice when the frame the HTML started listened before the page's script ran (the answer to its ask).
    expect(await seenFrom(page, proxy)).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (window as unknown as { proxyFrameLoaded: boolean }).proxyFrameLoaded)).toBe(false);
    // Not signed in: the vault itself answers, through the worker's channel to the proxy.
    const response = await pageFetch(page, `${api}/v1/profile`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
  });

  test('a proxy that does not say it listens (an older one): the page connects at its load event', async ({ context, page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    await context.route(`${proxy}/assets/**`, async (route) => {
      // Node's resolver does not know *.localhost: ask the dev host in process.
      const real = await devHost.inject({ url: new URL(route.request().url()).pathname, headers: { host: new URL(proxy).host } });
      await route.fulfill({ contentType: 'text/javascript', body: real.body.replaceAll('listening', 'listening-not') });
    });
    await countListening(page);
    await openApp(page, devHost);
    expect(await seenFrom(page, proxy)).toBe(0);
  });

  test('a forged "listening" from a window the app opened (another origin) changes nothing', async ({ page, devHost }) => {
    const { app, evil, proxy } = devHost.vault.origins;
    await countListening(page);
    await openApp(page, devHost);
    // The app opened a page of another site; it posts the announcement to its opener without pause.
    const [attacker] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => void window.open(url, 'evil'), `${evil}/`)]);
    await attacker.waitForLoadState();
    await attacker.evaluate(
      ({ message, app }) => {
        const victim = window.opener as Window | null;
        if (!victim) throw new Error('the victim window is gone');
        setInterval(() => {
          victim.postMessage(message, app);
        }, 2);
      },
      { message: LISTENING, app },
    );
    // The app loads again; its proxy frame stays about:blank until the forgeries have arrived.
    const { held, release } = await holdProxyPage(page, proxy);
    const reload = page.reload({ waitUntil: 'commit' });
    await held;
    await expect.poll(() => seenFrom(page, evil)).toBeGreaterThanOrEqual(3);
    await release();
    await reload;
    await expect(page.locator('#status')).toHaveText('ready');
    // Once, or twice when the page's script ran after the released frame listened (its ask's answer).
    expect(await seenFrom(page, proxy)).toBeGreaterThanOrEqual(1);
  });

  test('a "listening" from another frame of the proxy origin changes nothing', async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    await countListening(page);
    // A second proxy frame (the proxy page under another URL) in the app page: the real proxy, but
    // not the vault's frame. It says "listening" while the vault's own frame is held.
    await page.addInitScript((proxy) => {
      if (window !== window.top) return;
      document.addEventListener('DOMContentLoaded', () => {
        const decoy = document.createElement('iframe');
        decoy.src = `${proxy}/?decoy`;
        decoy.hidden = true;
        document.body.append(decoy);
      });
    }, proxy);
    const { held, release } = await holdProxyPage(page, proxy);
    const goto = page.goto(`${devHost.vault.origins.app}/`, { waitUntil: 'commit' });
    await held;
    await expect.poll(() => seenFrom(page, proxy)).toBe(1);
    await release();
    await goto;
    await expect(page.locator('#status')).toHaveText('ready');
    expect(await seenFrom(page, proxy)).toBe(2);
  });
});
