import type { WireBody } from '@tokenvault/protocol';
import { encodeBody } from './encodeBody.js';
import { forwardedResponseHeaders } from './forwardedResponseHeaders.js';

// How a response crosses to the page or the worker: a chunk of its own, which the frame loads with
// its first request (in parallel with the request's routing), not at start.

/** The fields of a `response` message for `response`: status, status text, the headers the app sees, the body as it crosses. */
export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: WireBody;
}

/**
 * The response as it crosses a MessagePort (see encodeBody and forwardedResponseHeaders).
 *
 * @example
 * ```ts
 * const wire = await wireResponse(response)
 * port.postMessage({ v: PROTOCOL_VERSION, type: 'response', id, ...wire }, wire.body ? [wire.body] : [])
 * ```
 */
export async function wireResponse(response: Response): Promise<WireResponse> {
  const body = await encodeBody(response);
  return { status: response.status, statusText: response.statusText, headers: forwardedResponseHeaders(response.headers), body };
}
