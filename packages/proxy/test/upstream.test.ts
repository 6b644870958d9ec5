import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VaultError } from '@tokenvault/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamFetch } from '../src/network/upstream.js';

// A real HTTP server that never answers: the test sees when the proxy's request ends.
let server: Server;
let base: string;
const arrived: string[] = [];
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    arrived.push(request.url ?? '');
    response.once('close', () => closed.push(request.url ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(err)}`);
  return err;
}

describe('upstreamFetch', () => {
  it("ends the upstream request when the app's signal aborts, with TV_ABORTED", async () => {
    const controller = new AbortController();
    const pending = upstreamFetch(`${base}/aborted`, { method: 'GET' }, 60_000, controller.signal);
    await expect.poll(() => arrived).toContain('/aborted');
    controller.abort();
    expect((await failure(pending)).code).toBe('TV_ABORTED');
    await expect.poll(() => closed).toContain('/aborted');
  });

  it('does not start a request whose signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(upstreamFetch(`${base}/never`, { method: 'GET' }, 60_000, controller.signal))).code).toBe('TV_ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(arrived).not.toContain('/never');
  });

  it('answers TV_UPSTREAM_TIMEOUT at the time limit, and ends the request', async () => {
    const controller = new AbortController();
    expect((await failure(upstreamFetch(`${base}/timeout`, { method: 'GET' }, 100, controller.signal))).code).toBe('TV_UPSTREAM_TIMEOUT');
    await expect.poll(() => closed).toContain('/timeout');
  });
});
