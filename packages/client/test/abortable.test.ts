import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_REPLIES, PROTOCOL_VERSION, ProxyPort } from '@tokenvault/protocol';
import { abortable } from '../src/abortable.js';

// createVault's vault.fetch wraps the body of a response from the proxy in abortable(): aborting
// after the head errors the body, as an aborted fetch's body does, and cancels the proxy's stream.
// Over Node's real MessageChannel, against a scripted proxy end.

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
  const port = new ProxyPort(port1, { helloTimeoutMs: 1000, replyTimeoutMs: 5000, replies: PAGE_REPLIES });
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

describe('abortable', () => {
  it('with abortable: errors a streamed body when aborted after the head, and cancels the proxy’s stream', async () => {
    const { port, proxyEnd, receivedCount, received } = connected();
    const controller = new AbortController();
    const pending = port.fetch(REQUEST, controller.signal);
    await receivedCount(1);
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('part 1'));
      },
      cancel: () => void (cancelled = true),
    });
    respond(proxyEnd, received[0].id, body);
    const { body: streamed } = await pending;
    if (!streamed) throw new Error('expected a streamed body');
    const reader = abortable(streamed, controller.signal).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('part 1');

    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => cancelled).toBe(true);
  });
});
