import { Readable } from 'node:stream';

/** The largest body `/v1/bench/stream` sends: enough for the benchmark, not a way to tie up the host. */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;
const STREAM_CHUNK = Buffer.alloc(64 * 1024, 'a');

/** A JSON document of exactly `bytes` bytes (the benchmark's "1 KiB JSON GET"). */
export function benchJson(bytes = 1024): string {
  const base = JSON.stringify({
    items: [
      { id: 1, name: 'teapot' },
      { id: 2, name: 'looking glass' },
    ],
    padding: '',
  });
  return base.replace('"padding":""', `"padding":"${'x'.repeat(Math.max(0, bytes - base.length))}"`);
}

/**
 * `bytes` bytes of body, streamed in 64 KiB chunks as fast as the client reads them. With `pauseMs`,
 * the server waits that long after the first chunk: a client that sees its first byte before the
 * pause is over was handed the body as a stream, not after buffering it.
 */
export function streamBody(bytes: number, pauseMs: number): Readable {
  return Readable.from(
    (async function* () {
      let sent = 0;
      while (sent < bytes) {
        const size = Math.min(STREAM_CHUNK.length, bytes - sent);
        yield size === STREAM_CHUNK.length ? STREAM_CHUNK : STREAM_CHUNK.subarray(0, size);
        if (sent === 0 && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        sent += size;
      }
    })(),
    { objectMode: false },
  );
}
