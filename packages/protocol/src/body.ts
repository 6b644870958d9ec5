// How a body crosses between realms: the one place that decides. A request body goes from the page
// or the worker to the proxy as one transferred ArrayBuffer (serializeRequest). A response body goes
// back (encodeBody in the proxy, decodeBody on the other end) as one of three:
// - bytes, one transferred ArrayBuffer, when it is small (isSmallBody: measured cheaper than a stream);
// - a transferred ReadableStream, where the engine can transfer streams;
// - the port of a body channel (bodyChannel.ts) that carries it in chunks, where it cannot (WebKit).
// The sending end, encodeBody, is the proxy's (packages/proxy/src/network/encodeBody.ts), the
// receiving end, decodeBody, in decodeBody.ts: the proxy frame's first chunk has this module
// without the body channel, which it loads only where a stream cannot be transferred.
import type { SerializedRequest } from './messages.js';

/** A response body as it crosses a MessagePort: see `encodeBody` (the proxy's) and {@link decodeBody}. */
export type WireBody = ArrayBuffer | ReadableStream<Uint8Array> | MessagePort | null;

/**
 * Statuses whose responses carry no body.
 * @see https://fetch.spec.whatwg.org/#null-body-status
 */
export function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

/**
 * Serialises a Request so it can cross to the proxy: the body is read once into an ArrayBuffer
 * (transferred, not copied). FormData and Blob bodies arrive as their encoded bytes with the
 * content-type (and multipart boundary) that the browser chose.
 *
 * @example
 * ```ts
 * const response = await port.fetch(await serializeRequest(request), request.signal)
 * ```
 */
export async function serializeRequest(request: Request): Promise<SerializedRequest> {
  // The pairs as the Headers iterate them: lower-case names, sorted, values combined (as forEach gives them).
  const headers = [...request.headers];
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
  return { url: request.url, method: request.method, headers, body: body && body.byteLength > 0 ? body : null };
}

/**
 * The largest body, by its Content-Length, that the proxy reads whole and hands on as one
 * transferred ArrayBuffer instead of a stream. Measured: for a small JSON answer a stream costs more
 * than its bytes (a transferred stream, or WebKit's body channel, is a channel of its own, and in the
 * worker a JS stream behind the Response), and the bytes arrive in one piece anyway. Larger bodies,
 * and bodies of unknown length, stream.
 */
export const SMALL_BODY_BYTES = 64 * 1024;

/** The Content-Length of a response with a body, when it declares one of at most {@link SMALL_BODY_BYTES}; else null. */
function smallLength(response: Response): number | null {
  const length = response.headers.get('content-length');
  if (response.body === null || isNullBodyStatus(response.status) || length === null || !/^\d{1,9}$/.test(length)) return null;
  return Number(length) <= SMALL_BODY_BYTES ? Number(length) : null;
}

/**
 * True for a response with a body whose Content-Length (a CORS-safelisted header, so the proxy
 * always sees it) is at most {@link SMALL_BODY_BYTES}.
 */
export function isSmallBody(response: Response): boolean {
  return smallLength(response) !== null;
}
