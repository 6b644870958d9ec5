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
