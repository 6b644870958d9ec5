import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { apiCalls, pageFetch, useWebKit, type WebKitContext } from './harness.js';
import { sealedSignIn } from './sealedSignIn.js';

// e2e/markup-credential.spec.ts in WebKitGTK: HTML injection without script (a comment field
// rendered as HTML, a template that does not escape) makes requests to the API from the app page.
// The worker routes to the vault only requests a script made (mode cors / same-origin, destination
// ''); every other request leaves as the browser would send it without a worker, with no
// credential. The API's own request log says what it received.
//
// WebDriver has no bypassCSP: the app's CSP (img-src, frame-src, form-action) stops the image,
// frame and form requests before they are made, as in Firefox. What is left to reach the API is
// what connect-src admits: the preloads. `<link rel=preload as=fetch crossorigin>` (destination ''
// and mode cors, as fetch() makes) is routed like a script's GET unless the rule is marked
// requireAuthorizationHeader (measured below, as in e2e/markup-preload-crossorigin.spec.ts).

/** Each vector and the API path it requests (the log keeps paths, not queries). */
const VECTORS = {
  'preload as=fetch': '/v1/items',
  img: '/v1/image',
  'img crossorigin': '/v1/bench/json',
  iframe: '/v1/teapot',
  'form POST': '/v1/echo',
  'form GET': '/v1/gzip',
} as const;

describe('WebKit: markup gets no credential', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('injected <link rel=preload as=fetch>, <img>, <iframe> and form navigations get no credential; a script’s fetch gets one', async () => {
    const { driver, devHost } = wk;
    const api = devHost.vault.origins.api;
    await sealedSignIn(wk);
    // The control: the same page's script gets the vault's credential, so the routing is live.
    expect((await pageFetch(driver, `${api}/v1/profile`)).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.scheme)).toEqual(['DPoP']);

    // The injection: markup only, inserted as HTML (no script of the attacker's runs).
    const html = `<link rel="preload" as="fetch" href="${api}${VECTORS['preload as=fetch']}">
<img src="${api}${VECTORS.img}" alt="">
<img crossorigin src="${api}${VECTORS['img crossorigin']}" alt="">
<iframe src="${api}${VECTORS.iframe}"></iframe>
<iframe name="sink"></iframe><iframe name="sink2"></iframe>
<form id="injected-post" method="post" action="${api}${VECTORS['form POST']}" target="sink"><input name="a" value="b"><button id="injected-post-button">Win a prize</button></form>
<form id="injected-get" method="get" action="${api}${VECTORS['form GET']}" target="sink2"><button id="injected-get-button">Claim it</button></form>`;
    await driver.executeScript(
      `const holder = document.createElement('div');
       holder.innerHTML = arguments[0];
       document.body.append(holder);`,
      html,
    );
    // A user falls for the buttons (forms need a click without script).
    await driver.findElement(By.id('injected-post-button')).click();
    await driver.findElement(By.id('injected-get-button')).click();

    // The preload is the request that reaches the API (the attack is real) …
    await expect.poll(() => apiCalls(devHost, VECTORS['preload as=fetch']).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Measured (WebKitGTK 2.50): only the preload; the app's CSP stopped the rest before they were made.
    const reached = Object.entries(VECTORS)
      .filter(([, path]) => apiCalls(devHost, path).length > 0)
      .map(([vector]) => vector);
    expect(reached).toEqual(['preload as=fetch']);
    for (const [vector, path] of Object.entries(VECTORS)) {
      // … and not one request of the markup carried a credential.
      expect(
        apiCalls(devHost, path).map((call) => call.authorization),
        vector,
      ).toEqual(apiCalls(devHost, path).map(() => null));
    }
  });
});

/** Injects `<link rel=preload as=fetch crossorigin>` for `href` (markup only) and waits until the API saw it. */
async function injectCrossOriginPreload(wk: WebKitContext, href: string, path: string): Promise<void> {
  await wk.driver.executeScript(
    `const holder = document.createElement('div');
     holder.innerHTML = '<link rel="preload" as="fetch" crossorigin href="' + arguments[0] + '">';
     document.body.append(holder);`,
    href,
  );
  await expect.poll(() => apiCalls(wk.devHost, path).length, { timeout: 10_000 }).toBeGreaterThan(0);
}

describe('WebKit: <link rel=preload as=fetch crossorigin>', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('measured: without requireAuthorizationHeader it gets the credential (destination and mode as fetch())', async () => {
    await sealedSignIn(wk);
    await injectCrossOriginPreload(wk, `${wk.devHost.vault.origins.api}/v1/items`, '/v1/items');
    expect(apiCalls(wk.devHost, '/v1/items').map((call) => call.authorization?.scheme)).toEqual(['DPoP']);
  });
});

describe('WebKit: requireAuthorizationHeader on the API rule', () => {
  const wk = useWebKit({ demo: 'sealed', apiRequireAuthorizationHeader: true });

  test('an injected <link rel=preload as=fetch crossorigin> reaches the API with no credential; the app’s fetch with the placeholder and vault.fetch get one', async () => {
    const { driver, devHost } = wk;
    const api = devHost.vault.origins.api;
    await sealedSignIn(wk);
    expect((await pageFetch(driver, `${api}/v1/profile`)).status).toBe(200);
    expect(await driver.executeScript<number>('return window.sealedDemo.vault.fetch(arguments[0]).then((response) => response.status)', `${api}/v1/profile?via=channel`)).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.scheme)).toEqual(['DPoP', 'DPoP']);
    await injectCrossOriginPreload(wk, `${api}/v1/items`, '/v1/items');
    expect(apiCalls(devHost, '/v1/items').map((call) => call.authorization)).toEqual(apiCalls(devHost, '/v1/items').map(() => null));
  });
});
