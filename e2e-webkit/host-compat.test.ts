import { describe, expect, test } from 'vitest';
import { authorizationHash, text, useWebKit } from './harness.js';
import { callHostApi, hostApiCalls, openHost } from './hostPage.js';

// e2e/host-compat.spec.ts in WebKitGTK: the 'app-window' compatibility mode, with the vendor's host
// page (apps/host/vendor.html), which posts the seed's JSON string to the app's window.
describe("WebKit: the 'app-window' compatibility mode", () => {
  const wk = useWebKit({ hostSessionHandoff: 'app-window' });

  for (const [target, query] of [
    ['"*"', '/vendor?target=star'],
    ['the app origin', '/vendor'],
  ] as const) {
    test(`a host that posts the seed's JSON string to ${target} hands the ID to the vault, and the host API call carries it`, async () => {
      await openHost(wk, query);
      expect(await text(wk.driver, '#log')).toContain(`posted the session ID to ${target}`);
      expect(await callHostApi(wk)).toContain('"session": "valid"');
      expect(hostApiCalls(wk).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(wk.devHost.vault.hostSessionId)]);
    });
  }
});
