import { afterEach, describe, expect, it, vi } from 'vitest';
import { BODY_CHUNK_BYTES, BODY_WINDOW_CHUNKS, receiveBody, sendBody } from '../src/bodyChannel.js';
import { VaultError } from '../src/errors.js';
import { PROTOCOL_VERSION } from '../src/messages.js';
import { ProxyPort } from '../src/ProxyPort.js';
import { PAGE_REPLIES } from '../src/replies.js';

// Node has MessageChannel and ReadableStream: these are the real structured-clone channels the
// browsers use, minus the browser.

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

function channel(): MessageChannel {
  const pair = new MessageChannel();
  opened.push(pair.port1, pair.port2);
  return pair;
}

/** Lets queued messages and promise jobs run: a few turns of the event loop. */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A source that hands out the chunks it is given only when the test says so, and counts its pulls. */
function gatedSource() {
  const waiting: ((chunk: Uint8Array | null) => void)[] = [];
  const queued: (Uint8Array | null)[] = [];
  const state = { pulls: 0, cancelled: undefined as unknown, cancelCalls: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        const deliver = (chunk: Uint8Array | null): void => {
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        };
        const next = queued.shift();
        if (next !== undefined) {
          deliver(next);
          return;
        }
        return new Promise<void>((resolve) =>
          waiting.push((chunk) => {
            deliver(chunk);
            resolve();
          }),
        );
      },
      cancel(reason) {
        state.cancelCalls++;
        state.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  const push = (chunk: Uint8Array | null): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(chunk);
    else queued.push(chunk);
  };
  return { stream, state, push };
}

/** A source with no end that counts how many chunks were taken from it. */
function endlessSource(chunkBytes = 16) {
  const state = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        controller.enqueue(new Uint8Array(chunkBytes).fill(state.pulls % 256));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function concat(chunks: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function failureOf(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('sendBody / receiveBody', () => {
  it('carries a body byte for byte, splitting chunks larger than BODY_CHUNK_BYTES and skipping empty ones', async () => {
    const big = new Uint8Array(BODY_CHUNK_BYTES * 2 + 123).map((_, i) => (i * 7) % 251);
    const parts = [bytes('{"a":'), new Uint8Array(0), big, bytes('1}')];
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    const chunks: Uint8Array[] = [];
    const reader = receiveBody(sendBody(source)).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(concat(chunks)).toEqual(concat(parts));
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([5, BODY_CHUNK_BYTES, BODY_CHUNK_BYTES, 123, 2]);
  });

  it('carries an empty body as an empty stream', async () => {
    const source = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.close();
      },
    });
    expect(await readAll(receiveBody(sendBody(source)))).toEqual(new Uint8Array(0));
  });

  it('is progressive: the first chunk arrives while the source has not produced the second', async () => {
    const { stream, push } = gatedSource();
    const reader = receiveBody(sendBody(stream)).getReader();
    push(bytes('first'));
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first');
    push(bytes('second'));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('second');
    push(null);
    expect((await reader.read()).done).toBe(true);
  });

  it('applies backpressure: an unread receiver takes no more than its window from the source', async () => {
    const { stream, state } = endlessSource();
    const body = receiveBody(sendBody(stream), 4);
    await vi.waitFor(() => {
      expect(state.pulls).toBe(4);
    });
    await settle();
    expect(state.pulls).toBe(4);

    // Each chunk read frees one place in the window: one more chunk is taken from the source.
    const reader = body.getReader();
    await reader.read();
    await vi.waitFor(() => {
      expect(state.pulls).toBe(5);
    });
    await settle();
    expect(state.pulls).toBe(5);
    await reader.cancel();
  });

  it('defaults to a window of BODY_WINDOW_CHUNKS chunks', async () => {
    const { stream, state } = endlessSource();
    const body = receiveBody(sendBody(stream));
    await vi.waitFor(() => {
      expect(state.pulls).toBe(BODY_WINDOW_CHUNKS);
    });
    await settle();
    expect(state.pulls).toBe(BODY_WINDOW_CHUNKS);
    await body.cancel();
  });

  it('cancelling the received stream cancels the source', async () => {
    const { stream, state, push } = gatedSource();
    const reader = receiveBody(sendBody(stream)).getReader();
    push(bytes('one'));
    await reader.read();
    await reader.cancel('not interested');
    await vi.waitFor(() => {
      expect(state.cancelCalls).toBe(1);
    });
  });

  it('a source that errors mid-body errors the received stream with a typed error that carries no upstream text', async () => {
    let fail!: (err: Error) => void;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('partial'));
        fail = (err) => {
          controller.error(err);
        };
      },
    });
    const reader = receiveBody(sendBody(source)).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('partial');
    fail(new Error('socket reset, Bearer secret-token'));
    const error = await failureOf(reader.read());
    expect(error.code).toBe('TV_UPSTREAM_UNREACHABLE');
    expect(error.message).not.toContain('secret-token');
  });
});

describe('receiveBody: what the sender end may not do', () => {
  /** A receiver on one end of a fresh channel, and the raw other end to misbehave on. */
  function receiverWithRawSender(window = 2) {
    const { port1, port2 } = channel();
    const control: unknown[] = [];
    port1.onmessage = (event) => control.push(event.data);
    return { stream: receiveBody(port2, window), sender: port1, control };
  }

  it('grants credit as soon as it is created', async () => {
    const { control } = receiverWithRawSender(3);
    await vi.waitFor(() => {
      expect(control).toEqual([{ v: PROTOCOL_VERSION, type: 'pull', credit: 3 }]);
    });
  });

  it.each([
    ['a string', 'chunk'],
    ['an unknown type', { v: PROTOCOL_VERSION, type: 'more' }],
    ['a chunk that is not an ArrayBuffer', { v: PROTOCOL_VERSION, type: 'chunk', data: 'text' }],
    ['an empty chunk', { v: PROTOCOL_VERSION, type: 'chunk', data: new ArrayBuffer(0) }],
    ['a chunk over the size limit', { v: PROTOCOL_VERSION, type: 'chunk', data: new ArrayBuffer(BODY_CHUNK_BYTES + 1) }],
    ['an error with a code outside the catalog', { v: PROTOCOL_VERSION, type: 'error', error: 'EVIL', message: 'x' }],
    ['a message with an extra field', { v: PROTOCOL_VERSION, type: 'end', extra: 1 }],
  ])('%s: the stream errors with TV_MALFORMED_MESSAGE and the sender is told to cancel', async (_name, data) => {
    const { stream, sender, control } = receiverWithRawSender();
    const reader = stream.getReader();
    sender.postMessage(data);
    expect((await failureOf(reader.read())).code).toBe('TV_MALFORMED_MESSAGE');
    await vi.waitFor(() => {
      expect(control).toContainEqual({ v: PROTOCOL_VERSION, type: 'cancel' });
    });
  });

  it('another protocol version: the stream errors with TV_VERSION_MISMATCH', async () => {
    const { stream, sender } = receiverWithRawSender();
    sender.postMessage({ v: `${PROTOCOL_VERSION}1`, type: 'end' });
    expect((await failureOf(stream.getReader().read())).code).toBe('TV_VERSION_MISMATCH');
  });

  it('more chunks than granted: the stream errors with TV_MALFORMED_MESSAGE instead of growing without bound', async () => {
    const { stream, sender } = receiverWithRawSender(2);
    // Nobody reads, so no further credit is granted: the third chunk is one too many.
    for (let i = 0; i < 3; i++) sender.postMessage({ v: PROTOCOL_VERSION, type: 'chunk', data: new ArrayBuffer(4) });
    await settle();
    expect((await failureOf(stream.getReader().read())).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it('an error message from the sender becomes a VaultError with its code', async () => {
    const { stream, sender } = receiverWithRawSender();
    sender.postMessage({ v: PROTOCOL_VERSION, type: 'error', error: 'TV_UPSTREAM_TIMEOUT', message: 'slow' });
    const error = await failureOf(stream.getReader().read());
    expect(error.code).toBe('TV_UPSTREAM_TIMEOUT');
  });

  it('refuses a window that is not a positive integer', () => {
    const { port2 } = channel();
    expect(() => receiveBody(port2, 0)).toThrow(VaultError);
    expect(() => receiveBody(port2, 1.5)).toThrow(VaultError);
  });
});

describe('sendBody: what the receiver end may not do', () => {
  function senderWithRawReceiver() {
    const source = gatedSource();
    const port = sendBody(source.stream);
    opened.push(port);
    const received: unknown[] = [];
    port.onmessage = (event) => received.push(event.data);
    return { ...source, port, received };
  }

  it.each([
    ['a string', 'pull'],
    ['an unknown type', { v: PROTOCOL_VERSION, type: 'push', credit: 1 }],
    ['a credit of zero', { v: PROTOCOL_VERSION, type: 'pull', credit: 0 }],
    ['a negative credit', { v: PROTOCOL_VERSION, type: 'pull', credit: -5 }],
    ['a fractional credit', { v: PROTOCOL_VERSION, type: 'pull', credit: 1.5 }],
    ['a credit beyond the limit', { v: PROTOCOL_VERSION, type: 'pull', credit: 1_000_000 }],
    ['another protocol version', { v: `${PROTOCOL_VERSION}1`, type: 'pull', credit: 1 }],
  ])('%s changes nothing: no chunk is read or sent, and a valid pull still works', async (_name, data) => {
    const { port, state, push, received } = senderWithRawReceiver();
    push(bytes('x'));
    port.postMessage(data);
    await settle();
    expect(state.pulls).toBe(0);
    expect(received).toEqual([]);

    port.postMessage({ v: PROTOCOL_VERSION, type: 'pull', credit: 1 });
    await vi.waitFor(() => {
      expect(received).toHaveLength(1);
    });
    expect(received[0]).toMatchObject({ v: PROTOCOL_VERSION, type: 'chunk' });
    expect(state.cancelCalls).toBe(0);
  });

  it('sends no more chunks than it was granted', async () => {
    const { port, push, received } = senderWithRawReceiver();
    for (const text of ['a', 'b', 'c']) push(bytes(text));
    port.postMessage({ v: PROTOCOL_VERSION, type: 'pull', credit: 2 });
    await vi.waitFor(() => {
      expect(received).toHaveLength(2);
    });
    await settle();
    expect(received).toHaveLength(2);
  });

  it('a cancel cancels the source and ends the channel', async () => {
    const { port, state } = senderWithRawReceiver();
    port.postMessage({ v: PROTOCOL_VERSION, type: 'cancel' });
    await vi.waitFor(() => {
      expect(state.cancelCalls).toBe(1);
    });
  });
});

describe('ProxyPort with a body channel', () => {
  /** A ProxyPort whose proxy end is played by the test, answering each fetch with `answer`. */
  function portWithProxy(answer: (id: number, proxy: MessagePort) => void, replyTimeoutMs = 5_000): ProxyPort {
    const { port1, port2: proxy } = channel();
    proxy.onmessage = (event) => {
      const message = event.data as { type: string; id: number };
      if (message.type === 'fetch') answer(message.id, proxy);
    };
    proxy.postMessage({ v: PROTOCOL_VERSION, type: 'hello', endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' } });
    const port = new ProxyPort(port1, { helloTimeoutMs: 5_000, replyTimeoutMs, replies: PAGE_REPLIES });
    return port;
  }
  const request = { url: 'https://api.example.com/v1/stream', method: 'GET', headers: [], body: null };

  it('rebuilds the response body from the chunks, with status and headers', async () => {
    const { stream, push } = gatedSource();
    const port = portWithProxy((id, proxy) => {
      const body = sendBody(stream);
      proxy.postMessage({ v: PROTOCOL_VERSION, type: 'response', id, status: 200, statusText: 'OK', headers: [['content-type', 'text/plain']], body }, [body]);
    });
    const response = await port.fetch(request);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    const { body } = response;
    if (body === null) throw new Error('The response has no body');
    const reader = body.getReader();
    push(bytes('hello, '));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('hello, ');
    push(bytes('world'));
    push(null);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('world');
    expect((await reader.read()).done).toBe(true);
    port.close();
  });

  it('an answer that comes after the time limit has its body cancelled at the source', async () => {
    const { stream, state } = gatedSource();
    let answerLate = (): void => {};
    const port = portWithProxy((id, proxy) => {
      answerLate = () => {
        const body = sendBody(stream);
        proxy.postMessage({ v: PROTOCOL_VERSION, type: 'response', id, status: 200, statusText: 'OK', headers: [], body }, [body]);
      };
    }, 50);
    expect((await failureOf(port.fetch(request))).code).toBe('TV_PROXY_UNREACHABLE');
    answerLate();
    await vi.waitFor(() => {
      expect(state.cancelCalls).toBe(1);
    });
    port.close();
  });
});
