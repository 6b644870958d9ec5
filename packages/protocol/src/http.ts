import type { SerializedRequest } from './messages.js';

/**
 * Response headers that no longer apply once the proxy has decoded the body and re-wrapped it:
 * content-encoding and content-length describe the bytes on the wire, the rest are hop-by-hop.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
 */
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The headers of an upstream response as the app should see them. */
export function forwardedResponseHeaders(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) out.push([name, value]);
  });
  return out;
}

/** Statuses whose responses carry no body. */
export function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

/**
 * Serialises a Request so it can cross to the proxy: the body is read once into an ArrayBuffer
 * (transferred, not copied). FormData and Blob bodies arrive as their encoded bytes with the
 * content-type (and multipart boundary) that the browser chose.
 */
export async function serializeRequest(request: Request): Promise<SerializedRequest> {
  const headers: [string, string][] = [];
  request.headers.forEach((value, name) => headers.push([name, value]));
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
  return { url: request.url, method: request.method, headers, body: body && body.byteLength > 0 ? body : null };
}
