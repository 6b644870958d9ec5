import { PROTOCOL_VERSION, type SerializedRequest } from '@tokenvault/protocol';
import { resolveProxyConfig } from '@tokenvault/config';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueListener } from '../src/network/InFlightLimit.js';
import { RETIRE_IDLE_WORKER_PORT_MS } from '../src/door/appPorts.js';
import { startProxy } from '../src/startProxy.js';
import type { VaultProxy } from '../src/routing/VaultProxy.js';
import { defined } from '@tokenvault/test-support';

// startProxy's messaging over Node's real MessageChannel, in a stand-in for the proxy frame's window:
// which ports it keeps, and which it lets go.

const APP = 'https://app.example.com';
/** The window that embeds the frame: what the frame posts to it, with the target origin. */
const parent = {
  posted: [] as { message: unknown; origin: string }[],
  postMessage(message: unknown, origin: string): void {
    this.posted.push({ message, origin });
  },
};
let deliver: (event: object) => void;
const opened: MessagePort[] = [];
/** The upstream answers the test holds back, by URL. */
let held: Map<string, () => void>;
/** How often the frame asked its VaultProxy to load the request path. */
let preloads: number;
/** What beforeEach started the frame with. */
let started: { config: Parameters<typeof startProxy>[0]; proxy: VaultProxy };

beforeEach(() => {
  parent.posted = [];
  held = new Map();
  preloads = 0;
  vi.stubGlobal('window', {
    parent,
    addEventListener: (type: string, listener: (event: object) => void) => {
      if (type === 'message') deliver = listener;
    },
  });
  const proxy = {
    metadata: async () => ({
      issuer: 'https://op.example.com',
      token_endpoint: 'https://op.example.com/token',
      endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' },
    }),
    // A URL with "queued" plays a request that waits for an upstream place (InFlightLimit tells onQueue).
    handleFetch: (request: SerializedRequest, _signal: AbortSignal, onQueue: QueueListener) => {
      if (request.url.includes('queued')) onQueue('queued', 120_000);
      return new Promise<Response>((resolve) =>
        held.set(request.url, () => {
          if (request.url.includes('queued')) onQueue('started', 120_000);
          resolve(new Response(null, { status: 204 }));
        }),
      );
    },
    preloadRouting: () => {
      preloads++;
    },
    onEvent: () => {},
    hostSession: { present: false, onTaken: () => {} },
  } as unknown as VaultProxy;
  const config = resolveProxyConfig({
    mode: 'drop-in',
    appOrigins: [APP],
    issuer: 'https://op.example.com',
    clientId: 'spa',
    rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
  });
  expect(startProxy(config, proxy)).toBe(proxy);
  started = { config, proxy };
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  for (const port of opened.splice(0)) port.close();
});

interface AppEnd {
  port: MessagePort;
  closed: boolean;
  replies: Record<string, unknown>[];
}

/** Connects a port as the page or its worker would, and waits for the proxy's hello. */
async function connect(role: 'page' | 'worker'): Promise<AppEnd> {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1);
  const end: AppEnd = { port: port1, closed: false, replies: [] };
  (port1 as unknown as { once(event: 'close', listener: () => void): void }).once('close', () => (end.closed = true));
  port1.onmessage = (event: MessageEvent<Record<string, unknown>>) => void end.replies.push(event.data);
  deliver({ source: parent, origin: APP, data: { v: PROTOCOL_VERSION, type: 'connect', role }, ports: [port2] });
  await expect.poll(() => end.replies[0]?.type).toBe('hello');
  return end;
}

function fetchOn(end: AppEnd, id: number, url: string): void {
  end.port.postMessage({ v: PROTOCOL_VERSION, type: 'fetch', id, request: { url, method: 'GET', headers: [], body: null } });
}

const later = (ms: number): void => void vi.setSystemTime(Date.now() + ms);

describe('startProxy: the ports it keeps', () => {
  it("retires an idle worker's port when a newer worker connects, once it has been idle long enough", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await connect('worker');
    const second = await connect('worker');
    // Just replaced: the old worker may still be using it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(first.closed).toBe(false);

    later(RETIRE_IDLE_WORKER_PORT_MS);
    await connect('worker');
    await expect.poll(() => first.closed).toBe(true);
    expect(second.closed).toBe(true);
  });

  it('keeps a worker port with a request in flight, and retires it after it answered and went idle', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const busy = await connect('worker');
    fetchOn(busy, 1, 'https://api.example.com/v1/slow');
    await expect.poll(() => held.has('https://api.example.com/v1/slow')).toBe(true);

    later(RETIRE_IDLE_WORKER_PORT_MS);
    await connect('worker');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(busy.closed).toBe(false);

    defined(held.get('https://api.example.com/v1/slow'))();
    await expect.poll(() => busy.replies.find((reply) => reply.type === 'response')).toMatchObject({ id: 1, status: 204 });
    await connect('worker');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(busy.closed).toBe(false);
    later(RETIRE_IDLE_WORKER_PORT_MS);
    await connect('worker');
    await expect.poll(() => busy.closed).toBe(true);
  });

  it("never retires the page's own port", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const page = await connect('page');
    later(RETIRE_IDLE_WORKER_PORT_MS * 10);
    await connect('worker');
    await connect('worker');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.closed).toBe(false);
  });
});

describe('startProxy: the request path', () => {
  it('starts loading once the first port has its hello, and only once', async () => {
    // Started, its metadata in, no port yet: nothing loads before a hello.
    await started.proxy.metadata();
    expect(preloads).toBe(0);
    await connect('page');
    expect(preloads).toBe(1);
    await connect('worker');
    expect(preloads).toBe(1);
  });
});

describe('startProxy: a request that waits for an upstream place', () => {
  it('tells its port queued (with the wait limit) at once, started when it leaves the queue, then the response', async () => {
    const page = await connect('page');
    fetchOn(page, 7, 'https://api.example.com/v1/queued');
    await expect.poll(() => page.replies.find((reply) => reply.type === 'queued')).toEqual({ v: PROTOCOL_VERSION, type: 'queued', id: 7, waitMs: 120_000 });
    expect(page.replies.some((reply) => reply.type === 'started' || reply.type === 'response')).toBe(false);
    defined(held.get('https://api.example.com/v1/queued'))();
    await expect.poll(() => page.replies.find((reply) => reply.type === 'response')).toMatchObject({ id: 7, status: 204 });
    expect(page.replies.slice(1).map((reply) => reply.type)).toEqual(['queued', 'started', 'response']);
    expect(page.replies[2]).toEqual({ v: PROTOCOL_VERSION, type: 'started', id: 7 });
  });

  it('a request that starts at once gets its response and nothing else', async () => {
    const page = await connect('page');
    fetchOn(page, 8, 'https://api.example.com/v1/now');
    await expect.poll(() => held.has('https://api.example.com/v1/now')).toBe(true);
    defined(held.get('https://api.example.com/v1/now'))();
    await expect.poll(() => page.replies.find((reply) => reply.type === 'response')).toMatchObject({ id: 8, status: 204 });
    expect(page.replies.map((reply) => reply.type)).toEqual(['hello', 'response']);
  });
});

describe('startProxy: the messages that came before it started', () => {
  it('takes a connect the window received while the page read its configuration, and drops a foreign one', async () => {
    const page = new MessageChannel();
    const foreign = new MessageChannel();
    opened.push(page.port1, foreign.port1);
    const replies: unknown[] = [];
    const foreignReplies: unknown[] = [];
    page.port1.onmessage = (event) => void replies.push(event.data);
    foreign.port1.onmessage = (event) => void foreignReplies.push(event.data);
    const connect = { v: PROTOCOL_VERSION, type: 'connect', role: 'page' };
    const early = [
      { source: {}, origin: 'https://evil.example', data: connect, ports: [foreign.port2] },
      { source: parent, origin: APP, data: connect, ports: [page.port2] },
    ] as unknown as MessageEvent[];
    startProxy(started.config, started.proxy, early);
    await expect.poll(() => replies).toEqual([expect.objectContaining({ type: 'hello' })]);
    expect(foreignReplies).toEqual([]);
  });
});

describe('startProxy: a page that asks whether the frame listens', () => {
  const ask = { v: PROTOCOL_VERSION, type: 'ask-listening' };

  it('answers the embedding window at an app origin with listening, to that origin only', () => {
    deliver({ source: parent, origin: APP, data: ask, ports: [] });
    expect(parent.posted).toEqual([{ message: { v: PROTOCOL_VERSION, type: 'listening' }, origin: APP }]);
  });

  it('drops an ask from another window or another origin without an answer', () => {
    deliver({ source: {}, origin: APP, data: ask, ports: [] });
    deliver({ source: parent, origin: 'https://evil.example', data: ask, ports: [] });
    expect(parent.posted).toEqual([]);
  });

  it('answers an ask that carries a port with a typed error on that port, and takes no port', async () => {
    const { port1, port2 } = new MessageChannel();
    opened.push(port1);
    const replies: unknown[] = [];
    port1.onmessage = (event) => void replies.push(event.data);
    deliver({ source: parent, origin: APP, data: ask, ports: [port2] });
    await expect.poll(() => replies).toEqual([expect.objectContaining({ type: 'error', id: -1, error: 'TV_MALFORMED_MESSAGE' })]);
    expect(parent.posted).toEqual([]);
  });

  it('answers an ask it received while the page read its configuration', () => {
    startProxy(started.config, started.proxy, [{ source: parent, origin: APP, data: ask, ports: [] }] as unknown as MessageEvent[]);
    expect(parent.posted).toEqual([{ message: { v: PROTOCOL_VERSION, type: 'listening' }, origin: APP }]);
  });
});
