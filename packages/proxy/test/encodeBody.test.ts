import { describe, expect, it } from 'vitest';
import { decodeBody } from '@tokenvault/protocol';
import { encodeBody, streamsTransferable } from '../src/network/encodeBody.js';

/** A body stream that hands out the given chunks. */
function chunked(chunks: string[]): ReadableStream<Uint8Array> {
  const queue = chunks.map((chunk) => new TextEncoder().encode(chunk));
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = queue.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

const response = (body: BodyInit | null, headers: Record<string, string>, status = 200) => new Response(body, { status, headers });

describe('encodeBody (the proxy’s end)', () => {
  it('sends nothing for a null-body status or a response without a body', async () => {
    expect(await encodeBody(new Response(null, { status: 204 }))).toBeNull();
    expect(await encodeBody(new Response(null, { status: 200 }))).toBeNull();
  });

  it('sends a small body as bytes', async () => {
    const body = await encodeBody(response('{"ok":true}', { 'content-length': '11' }));
    expect(body).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(body as ArrayBuffer)).toBe('{"ok":true}');
  });

  it('sends a body of unknown length as a stream where the engine transfers streams (Node does)', async () => {
    expect(streamsTransferable()).toBe(true);
    expect(await encodeBody(response(chunked(['a', 'b']), {}))).toBeInstanceOf(ReadableStream);
  });

  it('sends it through a body channel (its chunk loaded then) where the engine cannot transfer a stream, as WebKit', async () => {
    const body = await encodeBody(response(chunked(['hello ', 'world']), {}), () => false);
    expect(body).toBeInstanceOf(MessagePort);
    expect(await new Response(decodeBody(200, body)).text()).toBe('hello world');
  });

  it('fails with TV_UPSTREAM_UNREACHABLE when a small body breaks off', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        controller.error(new TypeError('network'));
      },
    });
    await expect(encodeBody(response(stream, { 'content-length': '4' }))).rejects.toMatchObject({ code: 'TV_UPSTREAM_UNREACHABLE' });
  });
});
