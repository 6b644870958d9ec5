import { apiCalls, expect, pageFetch, test } from './fixtures.js';
import { sealedSignIn } from './sealedFixtures.js';

// `<link rel=preload as=fetch crossorigin>` is the one markup request a worker cannot tell from a
// script's fetch(): destination '' and mode cors (e2e/markup-credential.spec.ts measures that it
// gets the credential by default). A rule marked requireAuthorizationHeader is the vault's only
// when the request carries an Authorization header, which markup cannot set: the app's fetch sends
// the placeholder (`Bearer REDACTED`), vault.fetch does not pass the worker. The attacker injects
// HTML, no script; the API's request log says what it received.
test.use({ devHostOptions: { demo: 'sealed', apiRequireAuthorizationHeader: true }, bypassCSP: true });

test.describe('requireAuthorizationHeader on the API rule', () => {
  test('an injected <link rel=preload as=fetch crossorigin> reaches the API with no credential; the app’s fetch with the placeholder and vault.fetch get one', async ({
    page,
    devHost,
  }) => {
    const api = devHost.vault.origins.api;
    await sealedSignIn(page, devHost);
    // The controls: the app's own requests still get the vault's credential.
    expect((await pageFetch(page, `${api}/v1/profile`)).status).toBe(200);
    expect(await page.evaluate(async (url) => (await window.sealedDemo.vault.fetch(url)).status, `${api}/v1/profile?via=channel`)).toBe(200);
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.scheme)).toEqual(['DPoP', 'DPoP']);

    // The injection: markup only.
    await page.evaluate((href) => {
      const holder = document.createElement('div');
      holder.innerHTML = `<link rel="preload" as="fetch" crossorigin href="${href}">`;
      document.body.append(holder);
    }, `${api}/v1/items`);
    await expect.poll(() => apiCalls(devHost, '/v1/items').length, { message: 'the preload reached the API' }).toBeGreaterThan(0);
    expect(apiCalls(devHost, '/v1/items').map((call) => call.authorization)).toEqual(apiCalls(devHost, '/v1/items').map(() => null));
  });

  test('a script’s fetch without an Authorization header is the page’s own: it leaves with no credential', async ({ page, devHost }) => {
    const api = devHost.vault.origins.api;
    await sealedSignIn(page, devHost);
    // The API admits only the proxy origin (CORS): the page's own request is sent, its answer refused.
    const outcome = await page.evaluate(
      async (url) =>
        fetch(url).then(
          (response) => String(response.status),
          (err: unknown) => (err instanceof TypeError ? 'TypeError' : String(err)),
        ),
      `${api}/v1/gzip`,
    );
    expect(outcome).toBe('TypeError');
    await expect.poll(() => apiCalls(devHost, '/v1/gzip').length).toBe(1);
    expect(apiCalls(devHost, '/v1/gzip')[0]?.authorization).toBeNull();
  });
});
