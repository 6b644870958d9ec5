import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../src/messages.js';
import { ProxyPort } from '../src/ProxyPort.js';
import { FETCH_REPLIES, PAGE_REPLIES } from '../src/replies.js';
import { VaultError } from '../src/errors.js';

// The page's (or worker's) end of the channel against a scripted proxy end, over Node's real
// MessageChannel: what crosses, and when.

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

const REQUEST = { url: 'https://api.example.com/v1/slow', method: 'GET', headers: [] as [string, string][], body: null };

/** A ProxyPort whose proxy end said hello and records what it receives. */
function connected(limits = { helloTimeoutMs: 1000, replyTimeoutMs: 5000 }, replies = PAGE_REPLIES) {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  const received: Record<string, unknown>[] = [];
  let notify = (): void => {};
  port2.onmessage = (event: MessageEvent<Record<string, unknown>>) => {
    received.push(event.data);
    notify();
  };
  port2.postMessage({ v: PROTOCOL_VERSION, type: 'hello', endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' } });
  // Events the proxy end sends mark what the page end has taken in: a port delivers in order.
  let eventSeen = (): void => {};
  const port = new ProxyPort(port1, {
    ...limits,
    replies,
    onEvent: () => {
      eventSeen();
    },
  });
  /** Posts `message` from the proxy end and resolves once the page end has handled it. */
  const tell = (message: Record<string, unknown>): Promise<void> =>
    new Promise((resolve) => {
      eventSeen = resolve;
      port2.postMessage({ v: PROTOCOL_VERSION, ...message });
      port2.postMessage({ v: PROTOCOL_VERSION, type: 'event', name: 'renewed' });
    });
  /** Resolves once the proxy end has received `count` messages. */
  const receivedCount = (count: number): Promise<void> =>
    new Promise((resolve) => {
      notify = () => {
        if (received.length >= count) resolve();
      };
      notify();
    });
  return { port, proxyEnd: port2, received, receivedCount, tell };
}

function respond(proxyEnd: MessagePort, id: unknown, body: ReadableStream<Uint8Array> | ArrayBuffer | null): void {
  proxyEnd.postMessage({ v: PROTOCOL_VERSION, type: 'response', id, status: 200, statusText: 'OK', headers: [], body }, body ? [body as Transferable] : []);
}

describe('ProxyPort.fetch with an AbortSignal', () => {
  it('rejects with the signal’s reason when aborted before the answer, tells the proxy, and lets a late answer go', async () => {
    const { port, proxyEnd, received, receivedCount } = connected();
    const controller = new AbortController();
    const pending = port.fetch(REQUEST, controller.signal);
    await receivedCount(1);
    expect(received[0]).toMatchObject({ type: 'fetch', id: 1 });

    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await receivedCount(2);
    expect(received[1]).toEqual({ v: PROTOCOL_VERSION, type: 'abort', id: 1 });

    // The proxy answered anyway (the head was already on its way): its body is cancelled, not read.
    let cancelled: unknown = null;
    const late = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason ?? 'cancelled') });
    respond(proxyEnd, 1, late);
    await expect.poll(() => cancelled).not.toBeNull();
  });

  it('sends nothing when the signal has already aborted', async () => {
    const { port, received } = connected();
    const controller = new AbortController();
    controller.abort(new Error('changed my mind'));
    await expect(port.fetch(REQUEST, controller.signal)).rejects.toThrow('changed my mind');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);
  });

  it('is an ordinary fetch when the signal never fires', async () => {
    const { port, proxyEnd, receivedCount, received } = connected();
    const controller = new AbortController();
    const pending = port.fetch(REQUEST, controller.signal);
    await receivedCount(1);
    respond(proxyEnd, received[0].id, new TextEncoder().encode('{"ok":true}').buffer);
    const response = await pending;
    expect(await response.json()).toEqual({ ok: true });
    // Aborting afterwards changes nothing, and tells the proxy nothing.
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(1);
  });
});

describe('ProxyPort: a request the proxy queues', () => {
  // The proxy answers `queued` when maxUpstreamRequests are at the network and `started` when the
  // request leaves its queue. The page's limit must not count the wait against the upstream's time.
  const limits = { helloTimeoutMs: 1_000, replyTimeoutMs: 5_000 };
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A fetch on a fresh port (hello in), with how it settled so far. */
  async function sent() {
    const channel = connected(limits);
    await channel.port.hello;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome: { settled?: string } = {};
    const pending = channel.port.fetch(REQUEST).then(
      (response) => void (outcome.settled = String(response.status)),
      (err: unknown) => void (outcome.settled = err instanceof VaultError ? err.code : String(err)),
    );
    await channel.receivedCount(1);
    return { ...channel, id: channel.received[0].id, outcome, pending };
  }

  it('without a queue signal the answer must come within replyTimeoutMs of the send (TV_PROXY_UNREACHABLE)', async () => {
    const { outcome } = await sent();
    await vi.advanceTimersByTimeAsync(limits.replyTimeoutMs - 1);
    expect(outcome.settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.settled).toBe('TV_PROXY_UNREACHABLE');
  });

  it("queued: waits the proxy's queue limit plus helloTimeoutMs; started: replyTimeoutMs from then; the real answer arrives", async () => {
    const { id, outcome, tell, proxyEnd, pending } = await sent();
    await vi.advanceTimersByTimeAsync(limits.replyTimeoutMs - 100);
    await tell({ type: 'queued', id, waitMs: 60_000 });
    // Far past replyTimeoutMs from the send, within the queue limit: still waiting.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(outcome.settled).toBeUndefined();
    await tell({ type: 'started', id });
    await vi.advanceTimersByTimeAsync(limits.replyTimeoutMs - 1);
    expect(outcome.settled).toBeUndefined();
    respond(proxyEnd, id, new TextEncoder().encode('{"ok":true}').buffer);
    await pending;
    expect(outcome.settled).toBe('200');
  });

  it('queued and never started nor answered: TV_PROXY_UNREACHABLE after the queue limit plus helloTimeoutMs', async () => {
    const { id, outcome, tell } = await sent();
    await tell({ type: 'queued', id, waitMs: 60_000 });
    await vi.advanceTimersByTimeAsync(60_000 + limits.helloTimeoutMs - 1);
    expect(outcome.settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.settled).toBe('TV_PROXY_UNREACHABLE');
  });

  it('started and not answered: TV_PROXY_UNREACHABLE replyTimeoutMs after the start', async () => {
    const { id, outcome, tell } = await sent();
    await tell({ type: 'queued', id, waitMs: 60_000 });
    await vi.advanceTimersByTimeAsync(30_000);
    await tell({ type: 'started', id });
    await vi.advanceTimersByTimeAsync(limits.replyTimeoutMs - 1);
    expect(outcome.settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.settled).toBe('TV_PROXY_UNREACHABLE');
  });

  it("the proxy's TV_QUEUE_TIMEOUT reaches the caller as it is", async () => {
    const { id, outcome, tell, pending } = await sent();
    await tell({ type: 'queued', id, waitMs: 60_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    await tell({ type: 'error', id, error: 'TV_QUEUE_TIMEOUT', message: '' });
    await pending;
    expect(outcome.settled).toBe('TV_QUEUE_TIMEOUT');
  });

  it.each([
    ['no waitMs', { type: 'queued' }],
    ['a waitMs of 0', { type: 'queued', waitMs: 0 }],
    ['a waitMs over 600 000', { type: 'queued', waitMs: 600_001 }],
    ['a fractional waitMs', { type: 'queued', waitMs: 1.5 }],
  ])('a queued message with %s is dropped: the limit still counts from the send', async (_, message) => {
    const { id, outcome, tell } = await sent();
    await tell({ ...message, id });
    await vi.advanceTimersByTimeAsync(limits.replyTimeoutMs);
    expect(outcome.settled).toBe('TV_PROXY_UNREACHABLE');
  });
});

describe('a port that only fetches (FETCH_REPLIES, the worker)', () => {
  it('takes responses, and drops a result and an event as malformed', async () => {
    const { port, proxyEnd, received, receivedCount } = connected(undefined, FETCH_REPLIES);
    const answer = port.fetch(REQUEST);
    await receivedCount(1);
    const id = received[0].id;
    // A result for the pending fetch: not a reply this port takes, so the fetch still waits.
    proxyEnd.postMessage({ v: PROTOCOL_VERSION, type: 'result', id, signedIn: true, expiresAt: null });
    proxyEnd.postMessage({ v: PROTOCOL_VERSION, type: 'event', name: 'signed-out' });
    respond(proxyEnd, id, null);
    const response = await answer;
    expect(response.status).toBe(200);
  });

  it('a page port (PAGE_REPLIES) takes the same result as the answer, and fails the fetch with it', async () => {
    const { port, proxyEnd, received, receivedCount } = connected();
    const answer = port.fetch(REQUEST);
    await receivedCount(1);
    proxyEnd.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: received[0].id, signedIn: true, expiresAt: null });
    await expect(answer).rejects.toMatchObject({ code: 'TV_MALFORMED_MESSAGE' });
  });
});
