import { describe, expect, test } from 'vitest';
import { inProxyFrame, openApp, useWebKit } from './harness.js';

// The proxy page preloads the OP's discovery document, and the proxy's own discovery fetch takes the
// preloaded response (e2e/discovery-preload.spec.ts, Chromium and Firefox): the same in WebKitGTK.
describe("WebKit: the proxy page's discovery preload", () => {
  const wk = useWebKit();

  test('the proxy frame asks the OP for its discovery document once, from its HTML', async () => {
    const { driver, devHost } = wk;
    const { op, proxy } = devHost.vault.origins;
    await openApp(wk);
    const entries = await inProxyFrame(wk, () =>
      driver.executeScript<string[]>(
        'return performance.getEntriesByType("resource").filter((r) => r.name === arguments[0]).map((r) => r.initiatorType);',
        `${op}/.well-known/openid-configuration`,
      ),
    );
    expect(entries).toEqual(['link']);
    const fromProxy = devHost.vault.requestLog.find('op', '/.well-known/openid-configuration').filter((entry) => entry.headers.origin === proxy);
    expect(fromProxy).toHaveLength(1);
  });
});
