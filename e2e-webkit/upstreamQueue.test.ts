import { describe, expect, test } from 'vitest';
import type { Outcome } from '../e2e/upstreamQueue.js';
import { apiCalls, signIn, useWebKit, type WebKitContext } from './harness.js';

// e2e/upstream-queue*.spec.ts in WebKitGTK: with maxUpstreamRequests 1, requests to /v1/slow hold
// the one place until the proxy's upstream limit answers them 504; the requests queued behind them
// wait in the proxy frame's queue. The page's time limit counts from the proxy's `started`, so
// they get their real answer; past timeouts.queueMs they get TV_QUEUE_TIMEOUT, never sent.

/** The limits e2e/upstreamQueue.ts runs with (its module loads Playwright's fixtures: not imported here). */
const PROXY_MS = 4_000;
const UPSTREAM_MS = 3_000;

/**
 * As queueBehindHolders in e2e/upstreamQueue.ts, over WebDriver: `url` (default the API's
 * /v1/items) is queued through the channel and the worker. A URL other than the API's (an OP call,
 * which needs no token) is sent through the channel too only once the API saw the first holder: it
 * could otherwise pass holders still getting their token, which have no place yet.
 */
async function queueBehindHolders(wk: WebKitContext, holders: number, url?: string): Promise<{ holders: Outcome[]; channel: Outcome; worker: Outcome }> {
  const { driver, devHost } = wk;
  const api = devHost.vault.origins.api;
  const queued = url ?? `${api}/v1/items`;
  await driver.executeScript(
    `const [api, holders, url, later] = arguments;
     const answer = async (request) => {
       const start = performance.now();
       try {
         const response = await request();
         const ms = performance.now() - start;
         if (response.ok) return { answer: String(response.status), ms };
         const body = await response.json().catch(() => ({}));
         return { answer: (response.status + ' ' + (body.error ?? '')).trim(), ms };
       } catch (err) {
         return { answer: String(err), ms: performance.now() - start };
       }
     };
     const { vault } = window.demo;
     window.queued = {
       answer,
       held: Promise.all(Array.from({ length: holders }, (_, i) => answer(() => vault.fetch(api + '/v1/slow?id=hold-' + i)))),
       channel: later ? null : answer(() => vault.fetch(url + '?via=channel')),
     };`,
    api,
    holders,
    queued,
    url !== undefined,
  );
  // The first holder has the place: the channel's requests are in the proxy frame, in order.
  await expect.poll(() => apiCalls(devHost, '/v1/slow').length, { timeout: 20_000 }).toBe(1);
  return driver.executeScript(
    `const { answer, held } = window.queued;
     const channel = window.queued.channel ?? answer(() => window.demo.vault.fetch(arguments[0] + '?via=channel'));
     const worker = answer(() => fetch(arguments[0] + '?via=worker', { headers: { authorization: 'Bearer REDACTED' } }));
     return Promise.all([held, channel, worker]).then(([holders, channel, worker]) => ({ holders, channel, worker }));`,
    queued,
  );
}

describe('WebKit: a request queued behind maxUpstreamRequests', () => {
  const wk = useWebKit({ maxUpstreamRequests: 1, timeouts: { proxyMs: PROXY_MS, upstreamMs: UPSTREAM_MS } });

  test('waits longer than upstreamMs + proxyMs in the queue and still gets its real answer, through the channel and the worker', async () => {
    await signIn(wk);
    wk.devHost.vault.requestLog.clear();
    const outcome = await queueBehindHolders(wk, 4);
    expect(outcome.holders.map((holder) => holder.answer)).toEqual(Array(4).fill('504 TV_UPSTREAM_TIMEOUT'));
    expect(outcome.channel.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect(outcome.worker.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect(outcome.channel.answer).toBe('200');
    expect(outcome.worker.answer).toBe('200');
    expect(apiCalls(wk.devHost, '/v1/items')).toHaveLength(2);
  });

  test("the app's OP calls (here the discovery document) queue as its protected requests do, and get their answer", async () => {
    const { op, proxy } = wk.devHost.vault.origins;
    await signIn(wk);
    wk.devHost.vault.requestLog.clear();
    const outcome = await queueBehindHolders(wk, 4, `${op}/.well-known/openid-configuration`);
    expect(outcome.holders.map((holder) => holder.answer)).toEqual(Array(4).fill('504 TV_UPSTREAM_TIMEOUT'));
    expect(outcome.channel.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect(outcome.worker.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect([outcome.channel.answer, outcome.worker.answer]).toEqual(['200', '200']);
    // The vault fetched both, from the proxy origin, only after the last holder had left the queue.
    // (A proxy frame's own fetch of the document, as the page it is in loads after the sign-in, may
    // land in the log before the holders: seen once in WebKitGTK.)
    const lastHolder = apiCalls(wk.devHost, '/v1/slow').at(-1)?.seq ?? Infinity;
    const documents = wk.devHost.vault.requestLog.find('op', '/.well-known/openid-configuration').filter((entry) => entry.seq > lastHolder);
    expect(documents.map((entry) => entry.headers.origin)).toEqual([proxy, proxy]);
  });
});

describe('WebKit: a request that waits longer than timeouts.queueMs', () => {
  const wk = useWebKit({ maxUpstreamRequests: 1, timeouts: { proxyMs: PROXY_MS, upstreamMs: 6_000, queueMs: 2_000 } });

  test('is answered 503 TV_QUEUE_TIMEOUT and never sent, through the channel and the worker', async () => {
    await signIn(wk);
    wk.devHost.vault.requestLog.clear();
    const outcome = await queueBehindHolders(wk, 1);
    expect(outcome.holders.map((holder) => holder.answer)).toEqual(['504 TV_UPSTREAM_TIMEOUT']);
    expect(outcome.channel.answer).toBe('503 TV_QUEUE_TIMEOUT');
    expect(outcome.worker.answer).toBe('503 TV_QUEUE_TIMEOUT');
    expect(apiCalls(wk.devHost, '/v1/items')).toHaveLength(0);
  });
});
