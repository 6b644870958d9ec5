import { receiveBody } from './bodyChannel.js';
import { isNullBodyStatus, type WireBody } from './body.js';

// The receiving end of a response body (the page or the worker): see body.ts.

/**
 * The receiving end (page or worker): turns a body that crossed from the proxy (see
 * `encodeBody` in the proxy) into a Response body. A body that came with a null-body status is released.
 * With `bytesAsStream`, a small body (bytes) becomes a one-chunk stream: for a service worker's
 * `respondWith` (see `ProxyPortOptions.bytesAsStream`).
 *
 * @example
 * ```ts
 * return new Response(decodeBody(reply.status, reply.body), { status: reply.status, headers: reply.headers })
 * ```
 */
export function decodeBody(status: number, body: WireBody, bytesAsStream?: boolean): ReadableStream<Uint8Array> | ArrayBuffer | null {
  const decoded = body instanceof MessagePort ? receiveBody(body) : body;
  if (isNullBodyStatus(status)) {
    if (decoded instanceof ReadableStream) decoded.cancel().catch(() => {});
    return null;
  }
  if (!(decoded instanceof ArrayBuffer) || !bytesAsStream) return decoded;
  const bytes = new Uint8Array(decoded);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * Releases a body that crossed from the proxy and will not be read, so that the proxy stops reading
 * it upstream (as {@link decodeBody} does with the body of a null-body status).
 *
 * @example
 * ```ts
 * if (nobodyWaits) discardBody(reply.body)
 * ```
 */
export function discardBody(body: WireBody): void {
  decodeBody(204, body);
}
