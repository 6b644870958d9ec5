import { decodeBody, discardBody } from './decodeBody.js';
import { VaultError, toVaultError } from './errors.js';
import type { EventMessage, HelloMessage, ProxyReply, SerializedRequest } from './messages.js';
import { checkMessage, type Checks } from './check.js';
import type { ReplyChecks } from './replies.js';
import { PROTOCOL_VERSION, versioned } from './version.js';

/** Options of a {@link FetchPort} (and of a {@link ProxyPort}, which is one). */
export interface ProxyPortOptions {
  /** How long to wait for the proxy's hello before the port counts as unreachable. */
  helloTimeoutMs: number;
  /**
   * How long to wait for the head of any answer (the proxy enforces its own upstream limits first),
   * counted from the send, or for a request the proxy queued from when it says it `started`. While
   * it is `queued` the limit is the proxy's queue limit (its `waitMs`) plus `helloTimeoutMs`.
   */
  replyTimeoutMs: number;
  /**
   * The replies this port takes: `PAGE_REPLIES` (every one) for a page, which asks for results and
   * hears events; `FETCH_REPLIES` for a port that only fetches (the worker's), which then ships
   * none of the other checks. Any other reply is malformed and ignored.
   */
  replies: ReplyChecks;
  /** Called for events the proxy sends unasked (signed-in, signed-out). */
  onEvent?: (event: EventMessage) => void;
  /**
   * Give a small body, which the proxy sends as bytes, to the Response as a one-chunk stream. For a
   * service worker's `respondWith`: Chromium hands a body made from bytes to the page as a Blob,
   * through the browser process, and pipes a stream. Measured (paired A/B of 1 KiB requests through
   * the worker, on a busy machine): p50 1.11x that of a transferred stream with a Response made from
   * the bytes, 0.82x with this one-chunk stream. A page reading the Response itself takes the bytes.
   */
  bytesAsStream?: boolean;
}

/** A request waiting for its answer: ends it (once), or starts its time limit again at `ms` from now. */
interface Pending {
  /** Ends the request with an answer, or with an error (`failed`): a VaultError, or the caller's abort reason. */
  end(failed: boolean, outcome: unknown): void;
  /** Starts the time limit again, at `ms` from now (the proxy queued or started the request). */
  rearm(ms: number): void;
}

/**
 * One end of a MessageChannel whose other end the proxy holds, for requests answered with a
 * Response: what the worker holds. Multiplexes requests by id; every request ends, with an answer
 * or a typed error, within `replyTimeoutMs`, or, when the proxy queues it (`queued`), within its
 * queue limit plus `helloTimeoutMs` and then `replyTimeoutMs` from its `started`. The page's port,
 * which also asks for results, is a {@link ProxyPort}: apart, so that the worker's bundle takes none
 * of it (a class's methods never tree-shake).
 *
 * @example
 * ```ts
 * const port = new FetchPort(transferred, { helloTimeoutMs: 10_000, replyTimeoutMs: 40_000, replies: FETCH_REPLIES })
 * event.respondWith(port.fetch(await serializeRequest(event.request), event.request.signal))
 * ```
 */
export class FetchPort {
  /** Resolves with the proxy's hello; rejects with `TV_PROXY_UNREACHABLE` or `TV_VERSION_MISMATCH`. */
  readonly hello: Promise<HelloMessage>;
  #port: MessagePort;
  #options: ProxyPortOptions;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #closed = false;
  #settleHello!: (reply: HelloMessage | VaultError) => void;

  constructor(port: MessagePort, options: ProxyPortOptions) {
    this.#port = port;
    this.#options = options;
    this.hello = new Promise<HelloMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settleHello(new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyTimeout' }));
      }, options.helloTimeoutMs);
      this.#settleHello = (reply) => {
        clearTimeout(timer);
        if (reply instanceof VaultError) reject(reply);
        else resolve(reply);
      };
    });
    // A rejection nobody awaited yet must not surface as an unhandled rejection.
    this.hello.catch(() => {});
    port.onmessage = (event) => {
      this.#receive(event.data);
    };
    port.onmessageerror = () => {
      this.#receive(undefined);
    };
  }

  /** True once the port is closed (see {@link FetchPort.close}). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a request through the proxy and resolves with its Response (or a typed error). When
   * `signal` aborts before the head is in, the promise rejects with the signal's reason and the
   * proxy aborts the upstream request. After that, cancelling the body ends it (see `abortable`).
   */
  async fetch(request: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    const reply = await this.call({ type: 'fetch', request }, request.body ? [request.body] : [], signal);
    if (reply.type !== 'response') throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'notResponse', type: reply.type });
    const { status, statusText, headers } = reply;
    return new Response(decodeBody(status, reply.body, this.#options.bytesAsStream), { status, statusText, headers });
  }

  /** Closes the port; every pending request fails with `TV_PROXY_UNREACHABLE`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.close();
    this.#fail(new VaultError('TV_PROXY_UNREACHABLE', { why: 'channelClosed' }));
  }

  /** Fails the hello (if still open) and every pending request. */
  #fail(error: VaultError): void {
    this.#settleHello(error);
    for (const pending of [...this.#pending.values()]) pending.end(true, error);
  }

  /**
   * Sends `message` (with a fresh id) once the proxy said hello, and resolves with its answer: for
   * {@link FetchPort.fetch} and the page's {@link ProxyPort.request}, not for apps.
   */
  protected async call(message: { type: string; [key: string]: unknown }, transfer: Transferable[], signal?: AbortSignal): Promise<ProxyReply> {
    if (this.#closed) throw new VaultError('TV_PROXY_UNREACHABLE', { why: 'channelIsClosed' });
    signal?.throwIfAborted();
    await this.hello;
    signal?.throwIfAborted();
    const id = this.#nextId++;
    return new Promise<ProxyReply>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const end = (failed: boolean, outcome: unknown): void => {
        clearTimeout(timer);
        this.#pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        // A failure is a VaultError, or the caller's abort reason passed on as it is, as fetch() rejects.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
        if (failed) reject(outcome);
        else resolve(outcome as ProxyReply);
      };
      const onAbort = (): void => {
        // Fire and forget: the proxy aborts the upstream request; an answer that still comes is discarded.
        this.#port.postMessage({ v: PROTOCOL_VERSION, type: 'abort', id });
        // Listened to only on a signal.
        end(true, signal?.reason);
      };
      const rearm = (ms: number): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          end(true, new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyTimeout' }));
        }, ms);
      };
      rearm(this.#options.replyTimeoutMs);
      this.#pending.set(id, { end, rearm });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.#port.postMessage({ v: PROTOCOL_VERSION, ...message, id }, transfer);
      } catch (cause) {
        end(true, new VaultError('TV_INVALID_ARGUMENT', { why: 'notSent' }, { cause }));
      }
    });
  }

  #receive(data: unknown): void {
    let reply: ProxyReply;
    try {
      // As parseProxyReply, with this port's table (parseProxyReply's default would ship them all).
      reply = checkMessage<ProxyReply>(versioned(data), this.#options.replies as Record<ProxyReply['type'], Checks>, false);
    } catch (err) {
      const error = toVaultError(err, 'TV_MALFORMED_MESSAGE');
      // A proxy of another version: fail everything on this port, loudly, instead of guessing.
      if (error.code === 'TV_VERSION_MISMATCH') this.#fail(error);
      return;
    }
    if (reply.type === 'hello') {
      this.#settleHello(reply);
      return;
    }
    if (reply.type === 'event') return this.#options.onEvent?.(reply);
    // An error without a request id answers the connection itself (bad config, version, …).
    if (reply.type === 'error' && reply.id === -1) {
      this.#settleHello(new VaultError(reply.error, reply.message));
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) {
      // An answer nobody waits for any more (it came after the time limit): let its body go.
      if (reply.type === 'response') discardBody(reply.body);
      return;
    }
    // Time in the proxy's queue is not time at the upstream: the limit counts again from each of these.
    if (reply.type === 'queued') pending.rearm(reply.waitMs + this.#options.helloTimeoutMs);
    else if (reply.type === 'started') pending.rearm(this.#options.replyTimeoutMs);
    else if (reply.type === 'error') pending.end(true, new VaultError(reply.error, reply.message));
    else pending.end(false, reply);
  }
}
