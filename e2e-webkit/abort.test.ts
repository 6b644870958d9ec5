import { describe, expect, test } from 'vitest';
import { apiCalls, signIn, useWebKit } from './harness.js';

// The client's own channel (vault.fetch) passes the app's abort on to the proxy, here too. Through
// the worker no engine tells the worker about a page's abort (e2e/abort.spec.ts).
describe("WebKit: a request the app aborts through the client's own channel", () => {
  // A long time limit: only the abort, passed on to the proxy, may end the upstream request here.
  const wk = useWebKit({ timeouts: { upstreamMs: 60_000 } });

  test("before the head: the app's fetch rejects with AbortError and the upstream request ends", async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const id = 'abort-channel';
    await driver.executeScript(
      `window.aborter = new AbortController();
       window.settled = null;
       window.demo.vault.fetch(arguments[0], { signal: window.aborter.signal }).then(
         (response) => (window.settled = 'resolved ' + response.status),
         (err) => (window.settled = err.name),
       );`,
      `${devHost.vault.origins.api}/v1/slow?id=${id}`,
    );
    await expect.poll(() => apiCalls(devHost, '/v1/slow').length, { timeout: 10_000 }).toBe(1);
    expect(devHost.vault.api.slowOutcomes.has(id)).toBe(false);

    await driver.executeScript('window.aborter.abort()');
    await expect.poll(() => driver.executeScript('return window.settled'), { timeout: 10_000 }).toBe('AbortError');
    await expect.poll(() => devHost.vault.api.slowOutcomes.get(id), { timeout: 5_000 }).toBe('closed early');
  });

  test('after the head: reading the body rejects with AbortError and the upstream response ends', async () => {
    const { driver, devHost } = wk;
    await signIn(wk);
    const id = 'abort-body';
    const outcome = await driver.executeScript<string>(
      `return (async () => {
       const aborter = new AbortController();
       const response = await window.demo.vault.fetch(arguments[0], { signal: aborter.signal });
       const reader = response.body.getReader();
       const first = new TextDecoder().decode((await reader.read()).value);
       aborter.abort();
       try {
         await reader.read();
         return 'read after abort';
       } catch (err) {
         return err.name + ' after ' + JSON.stringify(first);
       }
       })();`,
      `${devHost.vault.origins.api}/v1/stream?id=${id}`,
    );
    expect(outcome).toBe('AbortError after "part 1\\n"');
    // Nobody opens the gate: only the cancel, passed on through the body channel, ends the response.
    await expect.poll(() => devHost.vault.streams.isWaiting(id), { timeout: 10_000 }).toBe(false);
  });
});
