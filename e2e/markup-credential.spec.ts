import { apiCalls, expect, pageFetch, test } from './fixtures.js';
import { sealedSignIn } from './sealedFixtures.js';

// HTML injection without script (a comment field rendered as HTML, a template that does not
// escape): markup on the app page makes requests to the API. The worker routes to the vault only
// requests a script made (mode cors / same-origin, destination ''); every other request leaves as
// the browser would send it without a worker, with no credential. The API's own request log says
// what it received.
//
// Not covered by default, by design of the Fetch standard: `<link rel=preload as=fetch crossorigin>`
// makes a request with destination '' and mode cors, exactly as `fetch()` does (the worker cannot
// tell them apart), so it is routed like a script's GET: the last test here measures it. A rule
// marked requireAuthorizationHeader closes it (e2e/markup-preload-crossorigin.spec.ts).
//
// bypassCSP: the kit's app CSP already blocks images, frames and forms to the API; an app that
// relaxes it (images from its API, say) must still not hand markup a credential, so the test asks
// the browser to send everything the markup asks for.
test.use({ devHostOptions: { demo: 'sealed' }, bypassCSP: true });

/** Each vector and the API path it requests (the log keeps paths, not queries). */
const VECTORS = {
  'preload as=fetch': '/v1/items',
  img: '/v1/image',
  'img crossorigin': '/v1/bench/json',
  iframe: '/v1/teapot',
  'form POST': '/v1/echo',
  'form GET': '/v1/gzip',
} as const;

test.describe('markup gets no credential', () => {
  test('injected <link rel=preload as=fetch>, <img>, <iframe> and form navigations reach the API with no credential; a script’s fetch gets one', async ({
    page,
    devHost,
    browserName,
  }) => {
    const api = devHost.vault.origins.api;
    await sealedSignIn(page, devHost);
    // The control: the same page's script gets the vault's credential, so the routing is live.
    expect((await pageFetch(page, `${api}/v1/profile`)).status).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.scheme)).toEqual(['DPoP']);

    // The injection: markup only, inserted as HTML (no script of the attacker's runs).
    const html = `<link rel="preload" as="fetch" href="${api}${VECTORS['preload as=fetch']}">
<img src="${api}${VECTORS.img}" alt="">
<img crossorigin src="${api}${VECTORS['img crossorigin']}" alt="">
<iframe src="${api}${VECTORS.iframe}"></iframe>
<iframe name="sink"></iframe><iframe name="sink2"></iframe>
<form id="injected-post" method="post" action="${api}${VECTORS['form POST']}" target="sink"><input name="a" value="b"><button id="injected-post-button">Win a prize</button></form>
<form id="injected-get" method="get" action="${api}${VECTORS['form GET']}" target="sink2"><button id="injected-get-button">Claim it</button></form>`;
    await page.evaluate((markup) => {
      const holder = document.createElement('div');
      holder.innerHTML = markup;
      document.body.append(holder);
    }, html);
    // A user falls for the buttons (forms need a click without script).
    await page.locator('#injected-post-button').click();
    await page.locator('#injected-get-button').click();

    for (const [vector, path] of Object.entries(VECTORS)) {
      // Each request reached the API (the attack is real) ... Playwright's bypassCSP is not honoured
      // over WebDriver BiDi (Firefox): there the app's CSP stops the image, frame and form requests
      // before they are made, and the preload (connect-src) is the one that reaches the API.
      if (browserName === 'chromium' || vector.startsWith('preload'))
        await expect.poll(() => apiCalls(devHost, path).length, { message: `${vector} reached ${path}` }).toBeGreaterThan(0);
      // ... and not one carried a credential.
      expect(
        apiCalls(devHost, path).map((call) => call.authorization),
        vector,
      ).toEqual(apiCalls(devHost, path).map(() => null));
    }
  });

  test('measured: without requireAuthorizationHeader, an injected <link rel=preload as=fetch crossorigin> gets the credential', async ({ page, devHost }) => {
    const api = devHost.vault.origins.api;
    await sealedSignIn(page, devHost);
    await page.evaluate((href) => {
      const holder = document.createElement('div');
      holder.innerHTML = `<link rel="preload" as="fetch" crossorigin href="${href}">`;
      document.body.append(holder);
    }, `${api}/v1/items`);
    await expect.poll(() => apiCalls(devHost, '/v1/items').length).toBeGreaterThan(0);
    expect(apiCalls(devHost, '/v1/items').map((call) => call.authorization?.scheme)).toEqual(['DPoP']);
  });
});
