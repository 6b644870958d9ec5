import type { Page } from '@playwright/test';
import { expect, openApp, pageFetch, test } from './fixtures.js';
import { countListening, listeningSeen, withoutProxyLoadEvent } from './proxyFrameWatch.js';

// The build writes the hidden proxy frame into the app's HTML (`<iframe data-tokenvault-proxy>`),
// so that the proxy page loads while the app's script is still on its way; `createVault` takes
// that frame when it loads exactly its proxyUrl. A page whose script runs after the frame said
// "listening" asks again (`ask-listening`), since no load event will come for it any more.

const ATTRIBUTE = 'data-tokenvault-proxy';

/** The frames of the page whose src starts with `prefix`, and whether each still has the attribute. */
function framesAt(page: Page, prefix: string): Promise<{ src: string; marked: boolean }[]> {
  return page.evaluate(
    ({ prefix, attribute }) => [...document.querySelectorAll('iframe')].filter((f) => f.src.startsWith(prefix)).map((f) => ({ src: f.src, marked: f.hasAttribute(attribute) })),
    { prefix, attribute: ATTRIBUTE },
  );
}

test.describe("the proxy frame in the app's HTML", () => {
  test('the page starts the proxy frame itself and the vault takes it: one proxy frame, no other mounted', async ({ page, devHost }) => {
    const { app, proxy } = devHost.vault.origins;
    const served = await devHost.inject({ url: '/', headers: { host: new URL(app).host } });
    expect(served.body).toContain(`<iframe ${ATTRIBUTE} src="${proxy}/"`);
    await openApp(page, devHost);
    // Taken: the vault removed the mark of the frame it uses, and mounted none of its own.
    expect(await framesAt(page, `${proxy}/`)).toEqual([{ src: `${proxy}/`, marked: false }]);
  });

  test('a page whose script runs after the frame said "listening" asks again and gets ready, without the load event', async ({ page, devHost }) => {
    const { api, app, proxy } = devHost.vault.origins;
    // The proxy frame's load event never fires, so only an answer to the page's ask can tell it
    // that the proxy listens.
    await withoutProxyLoadEvent(page, proxy);
    await countListening(page);
    // The app's module script is held until the frame has announced itself to nobody.
    let releaseScript: () => void = () => {};
    const scriptHeld = new Promise<void>((resolve) => (releaseScript = resolve));
    await page.route(
      (url) => url.origin === app && url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js'),
      async (route) => {
        await scriptHeld;
        await route.continue();
      },
    );
    await page.goto(`${app}/`, { waitUntil: 'commit' });
    await expect.poll(async () => (await listeningSeen(page)).length).toBe(1);
    releaseScript();
    await expect(page.locator('#status')).toHaveText('ready');
    // The second announcement is the answer to the page's ask.
    expect(await listeningSeen(page)).toEqual([proxy, proxy]);
    expect(await framesAt(page, `${proxy}/`)).toEqual([{ src: `${proxy}/`, marked: false }]);
    const response = await pageFetch(page, `${api}/v1/profile`);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
  });

  test('frames marked in the HTML that do not load exactly the proxy URL are not taken (another origin, another URL of the proxy)', async ({ page, devHost }) => {
    const { op, proxy } = devHost.vault.origins;
    // Markup planted first in the body, before the build's frame: the OP's origin (the app's CSP
    // lets the app frame it) and the proxy page under another URL.
    await page.addInitScript(
      ({ op, proxy, attribute }) => {
        if (window !== window.top) return;
        document.addEventListener('readystatechange', () => {
          if (document.readyState !== 'interactive') return;
          for (const src of [`${proxy}/?decoy`, `${op}/.well-known/openid-configuration`]) {
            const planted = document.createElement('iframe');
            planted.setAttribute(attribute, '');
            planted.src = src;
            planted.hidden = true;
            document.body.prepend(planted);
          }
        });
      },
      { op, proxy, attribute: ATTRIBUTE },
    );
    await openApp(page, devHost);
    expect(await framesAt(page, `${proxy}/`)).toEqual([
      { src: `${proxy}/?decoy`, marked: true },
      { src: `${proxy}/`, marked: false },
    ]);
    expect(await framesAt(page, `${op}/`)).toEqual([{ src: `${op}/.well-known/openid-configuration`, marked: true }]);
  });

  test('without the frame in the HTML (a page the build did not write) the vault mounts its own', async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    await page.addInitScript((attribute) => {
      if (window !== window.top) return;
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') document.querySelector(`iframe[${attribute}]`)?.remove();
      });
    }, ATTRIBUTE);
    await openApp(page, devHost);
    expect(await framesAt(page, `${proxy}/`)).toEqual([{ src: `${proxy}/`, marked: false }]);
  });
});
