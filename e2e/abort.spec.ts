import type { Page } from '@playwright/test';
import { apiCalls, expect, signIn, test } from './fixtures.js';

// A long time limit: only the abort, passed on to the proxy, may end the upstream request here.
test.use({ devHostOptions: { timeouts: { upstreamMs: 60_000 } } });

interface AbortOutcome {
  /** What the page's fetch ended with: the error's name, or "resolved <status>". */
  settled: string | null;
}

/** Starts a request in the page through the worker (`fetch`) or the client's channel (`vault.fetch`), abortable by `abortRequest`. */
async function startRequest(page: Page, url: string, via: 'worker' | 'channel'): Promise<void> {
  await page.evaluate(
    ({ url, via }) => {
      const page = window as unknown as { aborter: AbortController; outcome: AbortOutcome };
      const outcome: AbortOutcome = { settled: null };
      page.outcome = outcome;
      page.aborter = new AbortController();
      const init = { headers: { authorization: 'Bearer REDACTED' }, signal: page.aborter.signal };
      (via === 'worker' ? fetch(url, init) : window.demo.vault.fetch(url, init)).then(
        (response) => (outcome.settled = `resolved ${response.status}`),
        (err: unknown) => (outcome.settled = err instanceof DOMException ? err.name : String(err)),
      );
    },
    { url, via },
  );
}

async function abortRequest(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { aborter: AbortController }).aborter.abort();
  });
}

function outcome(page: Page): Promise<AbortOutcome> {
  return page.evaluate(() => (window as unknown as { outcome: AbortOutcome }).outcome);
}

test.describe('a request the app aborts', () => {
  for (const via of ['worker', 'channel'] as const) {
    test(`through the ${via === 'worker' ? 'service worker' : "client's own channel"}: the app's fetch rejects with AbortError and the upstream request ends`, async ({
      page,
      devHost,
    }) => {
      // Measured with Chromium 156 and Firefox ESR 153: a page's abort never reaches the worker
      // (FetchEvent.request.signal stays unaborted; w3c/ServiceWorker#1544), so the worker cannot
      // tell the proxy. The interceptor passes the signal on for the engine that does; until then
      // the upstream request ends when it is answered or at timeouts.upstreamMs.
      test.fail(via === 'worker', "no engine passes a page's abort on to the service worker's FetchEvent");
      await signIn(page, devHost);
      const id = `abort-${via}`;
      await startRequest(page, `${devHost.vault.origins.api}/v1/slow?id=${id}`, via);
      // The proxy's request reached the API, which holds its answer.
      await expect.poll(() => apiCalls(devHost, '/v1/slow').length).toBe(1);
      expect(devHost.vault.api.slowOutcomes.has(id)).toBe(false);

      await abortRequest(page);
      await expect.poll(async () => (await outcome(page)).settled).toBe('AbortError');
      // Well within the 60 s limit: the proxy aborted its upstream request when the app did.
      await expect.poll(() => devHost.vault.api.slowOutcomes.get(id), { timeout: 5_000 }).toBe('closed early');
    });
  }

  test('an abort signal that never fires changes nothing', async ({ page, devHost }) => {
    await signIn(page, devHost);
    await startRequest(page, `${devHost.vault.origins.api}/v1/slow?id=kept&ms=200`, 'channel');
    await expect.poll(async () => (await outcome(page)).settled).toBe('resolved 200');
    expect(devHost.vault.api.slowOutcomes.get('kept')).toBe('answered');
  });

  test("through the client's own channel, after the head: reading the body rejects with AbortError and the upstream response ends", async ({ page, devHost }) => {
    await signIn(page, devHost);
    const id = 'abort-body';
    await page.evaluate((url) => {
      const page = window as unknown as { aborter: AbortController; bodyOutcome: Promise<string> };
      page.aborter = new AbortController();
      page.bodyOutcome = (async () => {
        const response = await window.demo.vault.fetch(url, { signal: page.aborter.signal });
        if (!response.body) throw new Error('the response has no body');
        const reader = response.body.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        page.aborter.abort();
        try {
          await reader.read();
          return `read after abort (first part ${JSON.stringify(first)})`;
        } catch (err) {
          return `${(err as DOMException).name} after ${JSON.stringify(first)}`;
        }
      })();
    }, `${devHost.vault.origins.api}/v1/stream?id=${id}`);
    expect(await page.evaluate(() => (window as unknown as { bodyOutcome: Promise<string> }).bodyOutcome)).toBe('AbortError after "part 1\\n"');
    // Nobody opens the gate: only the abort, passed on as a cancel to the proxy's upstream fetch, ends the response.
    await expect.poll(() => devHost.vault.streams.isWaiting(id)).toBe(false);
  });
});
