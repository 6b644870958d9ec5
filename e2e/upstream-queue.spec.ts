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

  test("the app's OP calls (here the discovery document) queue as its protected requests do, and get their answer", async ({ page, devHost }) => {
    const { op, proxy } = devHost.vault.origins;
    await signIn(page, devHost);
    devHost.vault.requestLog.clear();
    // Sent once the first holder is at the API: a call that needs no token could otherwise pass
    // holders still reading theirs, which have no place yet.
    const outcome = await queueBehindHolders(page, devHost, HOLDERS, { url: `${op}/.well-known/openid-configuration`, afterFirstHolder: true });

    expect(outcome.holders.map((holder) => holder.answer)).toEqual(Array(HOLDERS).fill('504 TV_UPSTREAM_TIMEOUT'));
    expect(outcome.channel.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect(outcome.worker.ms).toBeGreaterThan(UPSTREAM_MS + PROXY_MS);
    expect([outcome.channel.answer, outcome.worker.answer]).toEqual(['200', '200']);
    // The vault fetched both, from the proxy origin, only after the last holder had left the queue.
    // (A proxy frame's own fetch of the document, as the page it is in loads after the sign-in, may
    // land in the log before the holders: seen once in WebKitGTK.)
    const lastHolder = apiCalls(devHost, '/v1/slow').at(-1)?.seq ?? Infinity;
    const documents = devHost.vault.requestLog.find('op', '/.well-known/openid-configuration').filter((entry) => entry.seq > lastHolder);
    expect(documents.map((entry) => entry.headers.origin)).toEqual([proxy, proxy]);
  });
});
