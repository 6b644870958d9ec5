import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../src/messages.js';
import { ProxyPort } from '../src/ProxyPort.js';

// The page's (or worker's) end of the channel against a scripted proxy end, over Node's real
// MessageChannel: what crosses, and when.

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

const REQUEST = { url: 'https://api.example.com/v1/slow', method: 'GET', headers: [] as [string, string][], body: null };

/** A ProxyPort whose proxy end said hello and records what it receives. */
function connected() {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  const received: Record<string, unknown>[] = [];
  let notify = (): void => {};
  port2.onmessage = (event: MessageEvent<Record<string, unknown>>) => {
    received.push(event.data);
    notify();
  };
  port2.postMessage({ v: PROTOCOL_VERSION, type: 'hello', endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' } });
  const port = new ProxyPort(port1, { helloTimeoutMs: 1000, replyTimeoutMs: 5000 });
  /** Resolves once the proxy end has received `count` messages. */
  const receivedCount = (count: number): Promise<void> =>
    new Promise((resolve) => {
      notify = () => {
        if (received.length >= count) resolve();
      };
      notify();
    });
  return { port, proxyEnd: port2, received, receivedCount };
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
