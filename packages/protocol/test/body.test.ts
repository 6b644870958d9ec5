import { describe, expect, it } from 'vitest';
import { SMALL_BODY_BYTES, isSmallBody } from '../src/body.js';
import { decodeBody } from '../src/decodeBody.js';
import { chunkedStream } from '@tokenvault/test-support';
import { sendBody } from '../src/bodyChannel.js';

const response = (body: BodyInit | null, headers: Record<string, string>, status = 200) => new Response(body, { status, headers });

describe('isSmallBody', () => {
  it('is true for a body whose Content-Length is at most SMALL_BODY_BYTES', () => {
    expect(isSmallBody(response('x', { 'content-length': '1' }))).toBe(true);
    expect(isSmallBody(response('x'.repeat(10), { 'content-length': String(SMALL_BODY_BYTES) }))).toBe(true);
  });

  it.each([
    ['no Content-Length (a stream of unknown length)', response('x', {})],
    ['a Content-Length over the limit', response('x', { 'content-length': String(SMALL_BODY_BYTES + 1) })],
    ['a Content-Length that is not a number', response('x', { 'content-length': '1, 1' })],
    ['no body', response(null, { 'content-length': '10' })],
    ['a 204', response(null, { 'content-length': '0' }, 204)],
  ])('is false for %s: it streams', (_name, value) => {
    expect(isSmallBody(value)).toBe(false);
  });
});

describe('decodeBody (the page’s or worker’s end)', () => {
  it('reads a body channel back into the stream that was sent', async () => {
    const port = sendBody(chunkedStream(['hello ', 'world']).stream);
    const body = decodeBody(200, port);
    expect(body).toBeInstanceOf(ReadableStream);
    expect(await new Response(body).text()).toBe('hello world');
  });

  it('gives bytes as they are, or as a one-chunk stream with bytesAsStream', async () => {
    const bytes = new TextEncoder().encode('abc').buffer;
    expect(decodeBody(200, bytes)).toBe(bytes);
    const stream = decodeBody(200, new TextEncoder().encode('abc').buffer, true);
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await new Response(stream).text()).toBe('abc');
  });

  it('releases a body that came with a null-body status, so that the proxy stops reading it', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({ cancel: () => void (cancelled = true) });
    expect(decodeBody(304, stream)).toBeNull();
    await expect.poll(() => cancelled).toBe(true);
  });
});
