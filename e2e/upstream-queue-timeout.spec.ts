import { apiCalls, expect, signIn, test } from './fixtures.js';
import { PROXY_MS, queueBehindHolders } from './upstreamQueue.js';

// One holder keeps the one place for upstreamMs (6 s), three times the queue limit (2 s).
test.use({ devHostOptions: { maxUpstreamRequests: 1, timeouts: { proxyMs: PROXY_MS, upstreamMs: 6_000, queueMs: 2_000 } } });

test.describe('a request that waits longer than timeouts.queueMs', () => {
  test('is answered 503 TV_QUEUE_TIMEOUT and never sent, through the channel and the worker', async ({ page, devHost }) => {
    await signIn(page, devHost);
    devHost.vault.requestLog.clear();
    const outcome = await queueBehindHolders(page, devHost, 1);

    expect(outcome.holders.map((holder) => holder.answer)).toEqual(['504 TV_UPSTREAM_TIMEOUT']);
    expect(outcome.channel.answer).toBe('503 TV_QUEUE_TIMEOUT');
    expect(outcome.worker.answer).toBe('503 TV_QUEUE_TIMEOUT');
    // The API never saw them: a queue time-out is safe to retry.
    expect(apiCalls(devHost, '/v1/items')).toHaveLength(0);
    // The place is free again: the next request goes through.
    const next = await page.evaluate(async (url) => (await window.demo.vault.fetch(url)).status, `${devHost.vault.origins.api}/v1/items?after=queue`);
    expect(next).toBe(200);
  });
});
