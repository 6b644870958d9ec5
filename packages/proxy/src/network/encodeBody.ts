import { VaultError, isNullBodyStatus, isSmallBody, type WireBody } from '@tokenvault/protocol';
import { readSmallBody } from './readSmallBody.js';

// The proxy's end of a response body (the other end is the protocol's decodeBody). The body
// channel's sending end (sendBody.ts) is a chunk of its own, loaded on the first body that needs
// it: only an engine that cannot transfer a stream (WebKit) does.

/**
 * Whether this engine can transfer a ReadableStream through postMessage (WebKit cannot).
 * @see https://streams.spec.whatwg.org/#rs-transfer
 */
export function streamsTransferable(): boolean {
  try {
    const stream = new ReadableStream();
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(stream, [stream]);
    port1.close();
    port2.close();
    return true;
  } catch {
    return false;
  }
}

/** Whether this engine transfers streams: asked once, on the first body that could go as one. */
let transferStreams: boolean | undefined;
const transfersStreams = (): boolean => (transferStreams ??= streamsTransferable());

/**
 * Turns a response's body into what crosses to the page or the worker. A null-body status or no
 * body gives null; a small body (see `isSmallBody`) is read whole and goes as bytes; any other body
 * goes as its stream where the engine can transfer one (`transfers`, by default
 * {@link streamsTransferable} asked once), else through a body channel (the protocol's `sendBody`,
 * loaded then). The other end reads it with the protocol's `decodeBody`.
 *
 * @throws VaultError `TV_UPSTREAM_UNREACHABLE` when a small body breaks off while it is read.
 * @example
 * ```ts
 * const body = await encodeBody(response)
 * port.postMessage({ v: PROTOCOL_VERSION, type: 'response', id, status, statusText, headers, body }, body ? [body] : [])
 * ```
 */
export async function encodeBody(response: Response, transfers: () => boolean = transfersStreams): Promise<WireBody> {
  if (response.body === null || isNullBodyStatus(response.status)) return null;
  const read = isSmallBody(response)
    ? await readSmallBody(response).catch((cause: unknown) => {
        throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'bodyBrokeOff' }, { cause });
      })
    : response.body;
  if (read instanceof ArrayBuffer) return read;
  return transfers() ? read : (await import('./sendBody.js')).sendBody(read);
}
