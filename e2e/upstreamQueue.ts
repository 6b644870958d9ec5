import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { apiCalls, expect } from './fixtures.js';

// Shared by upstream-queue*.spec.ts. The proxy frame keeps at most maxUpstreamRequests of the app's
// requests (protected requests and OP calls) at the network and queues the rest (issue 21's load case). A queued request's wait must not count against the page's time
// limit for the proxy's answer: the proxy says `queued` at once and `started` when it sends it.
// Here one place (maxUpstreamRequests 1) is held by requests to /v1/slow, which answers after any
// sane time limit, so each holds it until the proxy's upstream limit answers it 504: the requests
// queued behind them wait longer than upstreamMs + proxyMs, the page's whole limit before.

/** The proxy time limit and the upstream one both specs run with. */
export const PROXY_MS = 4_000;
export const UPSTREAM_MS = 3_000;

export interface Outcome {
  /** `<status>` or `<status> <TV_* code>`, or the error a fetch rejected with. */
  answer: string;
  /** Milliseconds from the send to the answer's head. */
  ms: number;
}

/** Which requests `queueBehindHolders` queues, and when. */
export interface Queued {
  /** The URL of the two queued requests (default: the API's /v1/items). */
  url?: string;
  /**
   * Send the channel's queued request only once the API saw the first holder, as the worker's.
   * For a URL that takes another token than the holders' (userinfo: the vault's own, the holders'
   * the API's): it could otherwise pass holders still getting theirs, which have no place yet.
   */
  afterFirstHolder?: boolean;
}

/**
 * Sends `holders` requests to /v1/slow through `vault.fetch`, then one to `queued.url` through the
 * same channel and, once the API saw the first holder, one through the worker: the two wait behind
 * the holders in the proxy frame's queue.
 */
export async function queueBehindHolders(
  page: Page,
  devHost: FastifyInstance,
  holders: number,
  queued: Queued = {},
): Promise<{ holders: Outcome[]; channel: Outcome; worker: Outcome }> {
  const api = devHost.vault.origins.api;
  const url = queued.url ?? `${api}/v1/items`;
  const later = queued.afterFirstHolder ?? false;
  await page.evaluate(
    ({ api, holders, url, later }) => {
      const answer = async (request: () => Promise<Response>): Promise<Outcome> => {
        const start = performance.now();
        try {
          const response = await request();
          const ms = performance.now() - start;
          if (response.ok) return { answer: String(response.status), ms };
          const body = (await response.json().catch(() => ({}))) as { error?: string };
          return { answer: `${String(response.status)} ${body.error ?? ''}`.trim(), ms };
        } catch (err) {
          return { answer: String(err), ms: performance.now() - start };
        }
      };
      const { vault } = window.demo;
      const queued = window as unknown as { answer: typeof answer; held: Promise<Outcome[]>; channel: Promise<Outcome> };
      queued.answer = answer;
      queued.held = Promise.all(Array.from({ length: holders }, (_, i) => answer(() => vault.fetch(`${api}/v1/slow?id=hold-${String(i)}`))));
      if (!later) queued.channel = answer(() => vault.fetch(`${url}?via=channel`));
    },
    { api, holders, url, later },
  );
  // The first holder has the place: the channel's requests are in the proxy frame, in order.
  await expect.poll(() => apiCalls(devHost, '/v1/slow').length).toBe(1);
  return page.evaluate(
    async ({ url, later }) => {
      const queued = window as unknown as { answer(request: () => Promise<Response>): Promise<Outcome>; held: Promise<Outcome[]>; channel: Promise<Outcome> };
      if (later) queued.channel = queued.answer(() => window.demo.vault.fetch(`${url}?via=channel`));
      const worker = queued.answer(() => fetch(`${url}?via=worker`, { headers: { authorization: 'Bearer REDACTED' } }));
      return { holders: await queued.held, channel: await queued.channel, worker: await worker };
    },
    { url, later },
  );
}
