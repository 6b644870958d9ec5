import { apiCalls, expect, signIn, test } from './fixtures.js';
import { PROXY_MS, UPSTREAM_MS, queueBehindHolders } from './upstreamQueue.js';

const HOLDERS = 4;

test.use({ devHostOptions: { maxUpstreamRequests: 1, timeouts: { proxyMs: PROXY_MS, upstreamMs: UPSTREAM_MS } } });

test.describe('a request queued behind maxUpstreamRequests', () => {
  test('waits longer than upstreamMs + proxyMs in the queue and still gets its real answer, through the channel and the worker', async ({ page, devHost }) => {
    await signIn(page, devHost);
    devHost.vault.requestLog.clear();
    const outcome = await queueBehindHolders(page, devHost, HOLDERS);

    // Each holder got its own real answer: the proxy's upstream limit.
    expect(outcome.holders.map((holder) => holder.answer)).toEqual(Array(HOLDERS).fill('504 TV_UPSTREAM_TIMEOUT'));
    // The scenario: the queued requests waited past the page's old limit (sent → answer head)…
    expect(outcome.channel.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect(outcome.worker.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    // … and got the API's answer, not 503 TV_PROXY_UNREACHABLE.
    expect(outcome.channel.answer).toBe('200');
    expect(outcome.worker.answer).toBe('200');
    expect(apiCalls(devHost, '/v1/items')).toHaveLength(2);
  });
});
