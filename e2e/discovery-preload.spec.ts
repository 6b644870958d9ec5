import { expect, openApp, proxyFrame, test } from './fixtures.js';

// The proxy page's HTML preloads the OP's discovery document (written by @tokenvault/build's
// renderProxyPage), and the proxy's own discovery fetch takes that response: the OP sees one
// request, asked for while the frame's script was still on its way. A preload the fetch does not
// match would show as a second request.

const DISCOVERY = '/.well-known/openid-configuration';

for (const demo of ['drop-in', 'sealed'] as const) {
  test.describe(`the proxy page's discovery preload (${demo})`, () => {
    test.use({ devHostOptions: { demo } });

    test('the proxy frame asks the OP for its discovery document once, from its HTML', async ({ page, devHost }) => {
      const { op, proxy } = devHost.vault.origins;
      await openApp(page, devHost);
      const frame = proxyFrame(page, devHost);
      // In the frame: every request for the document (resource timing), and who started it.
      const entries = await frame.evaluate(
        (url) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name === url).map((r) => r.initiatorType),
        `${op}${DISCOVERY}`,
      );
      expect(entries).toEqual(['link']);
      // At the OP: the frame's requests for it (the app's own, through the vault, are none on this page).
      const fromProxy = devHost.vault.requestLog.find('op', DISCOVERY).filter((entry) => entry.headers.origin === proxy);
      expect(fromProxy).toHaveLength(1);
    });
  });
}
