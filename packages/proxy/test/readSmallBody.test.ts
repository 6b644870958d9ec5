import { describe, expect, it } from 'vitest';
import { readSmallBody } from '../src/network/readSmallBody.js';
import { chunkedStream } from '@tokenvault/test-support';

const response = (body: BodyInit | null, headers: Record<string, string>, status = 200) => new Response(body, { status, headers });

/** readSmallBody's answer when it must be the bytes, not a stream. */
const smallBytes = async (from: Response): Promise<ArrayBuffer> => {
  const read = await readSmallBody(from);
  if (!(read instanceof ArrayBuffer)) throw new Error('readSmallBody handed on a stream, not the bytes');
  return read;
};

describe('readSmallBody', () => {
  it('returns the bytes as soon as Content-Length bytes are in, without waiting for the end of the stream', async () => {
    const { stream } = chunkedStream(['{"a":', '1}'], false);
    const bytes = await smallBytes(response(stream, { 'content-length': '7' }));
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it('reads to the end a body that arrives longer than its Content-Length (content coding)', async () => {
    const { stream, state } = chunkedStream(['decoded ', 'text'], true);
    const bytes = await smallBytes(response(stream, { 'content-length': '5' }));
    expect(new TextDecoder().decode(bytes)).toBe('decoded text');
    expect(state.reads).toBe(3);
  });

  it('reads to the end a body shorter than its Content-Length', async () => {
    const { stream } = chunkedStream(['abc'], true);
    expect(new TextDecoder().decode(await smallBytes(response(stream, { 'content-length': '9' })))).toBe('abc');
  });

  it('an empty body is an empty ArrayBuffer', async () => {
    expect((await smallBytes(response('', { 'content-length': '0' }))).byteLength).toBe(0);
  });

  it('a body that breaks off rejects', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.error(new TypeError('network error'));
      },
    });
    await expect(readSmallBody(response(stream, { 'content-length': '4' }))).rejects.toThrow(TypeError);
  });
});

describe('readSmallBody, a small Content-Length that decodes to a large body', () => {
  it('hands on a stream past SMALL_BODY_BYTES instead of holding it all: the chunks read so far, then the rest', async () => {
    const big = 'x'.repeat(40 * 1024);
    const { stream, state } = chunkedStream([big, big, big, 'end'], true);
    const body = await readSmallBody(response(stream, { 'content-length': '100' }));
    expect(body).toBeInstanceOf(ReadableStream);
    const readsBefore = state.reads;
    expect(readsBefore).toBe(2);
    expect(await new Response(body as ReadableStream).text()).toBe(`${big}${big}${big}end`);
  });
});
