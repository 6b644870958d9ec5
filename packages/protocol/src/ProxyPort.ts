import { receiveBody } from './bodyChannel.js';
import { VaultError, toVaultError } from './errors.js';
import { isNullBodyStatus } from './http.js';
import {
  PROTOCOL_VERSION,
  ProxyReplySchema,
  parseMessage,
  type EventMessage,
  type HelloMessage,
  type ProxyReply,
  type ResponseMessage,
  type ResultMessage,
  type SerializedRequest,
} from './messages.js';

export interface ProxyPortOptions {
  /** How long to wait for the proxy's hello before the port counts as unreachable. */
  helloTimeoutMs: number;
  /** How long to wait for the head of any answer (the proxy enforces its own upstream limits first). */
  replyTimeoutMs: number;
  /** Called for events the proxy sends unasked (signed-in, signed-out). */
  onEvent?: (event: EventMessage) => void;
}

interface Pending {
  resolve(reply: ProxyReply): void;
  reject(err: VaultError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Releases a response body that will not be read, so that the proxy stops reading it upstream. */
function discardBody(reply: ResponseMessage): void {
  if (reply.body instanceof MessagePort) receiveBody(reply.body).cancel().catch(() => {});
  else reply.body?.cancel().catch(() => {});
}

/**
 * One end of a MessageChannel whose other end the proxy holds. Multiplexes requests by id; every
 * request ends, with an answer or a typed error, within `replyTimeoutMs`.
 */
export class ProxyPort {
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
      const timer = setTimeout(() => this.#settleHello(new VaultError('TV_PROXY_UNREACHABLE', 'The vault proxy did not answer in time')), options.helloTimeoutMs);
      this.#settleHello = (reply) => {
        clearTimeout(timer);
        if (reply instanceof VaultError) reject(reply);
        else resolve(reply);
      };
    });
    // A rejection nobody awaited yet must not surface as an unhandled rejection.
    this.hello.catch(() => {});
    port.onmessage = (event) => this.#receive(event.data);
    port.onmessageerror = () => this.#receive(undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a request through the proxy and resolves with its Response (or a typed error). */
  async fetch(request: SerializedRequest): Promise<Response> {
    const reply = await this.#call({ type: 'fetch', request }, request.body ? [request.body] : []);
    if (reply.type !== 'response') throw new VaultError('TV_MALFORMED_MESSAGE', `Expected a response, got ${reply.type}`);
    if (isNullBodyStatus(reply.status)) {
      discardBody(reply);
      return new Response(null, { status: reply.status, statusText: reply.statusText, headers: reply.headers });
    }
    return new Response(reply.body instanceof MessagePort ? receiveBody(reply.body) : reply.body, {
      status: reply.status,
      statusText: reply.statusText,
      headers: reply.headers,
    });
  }

  /** Asks the proxy whether it holds tokens. */
  async status(): Promise<ResultMessage> {
    return this.#result(await this.#call({ type: 'status' }, []));
  }

  /**
   * Asks the proxy to revoke the tokens at the OP and clear its store. The result carries the OP's
   * end-session URL (with `postLogoutRedirectUri`, when given) for the page to navigate to.
   */
  async logout(postLogoutRedirectUri?: string): Promise<ResultMessage> {
    const message = postLogoutRedirectUri === undefined ? { type: 'logout' } : { type: 'logout', postLogoutRedirectUri };
    return this.#result(await this.#call(message, []));
  }

  /**
   * Hands the proxy the session ID the embedding host gave this page. The proxy accepts one per
   * page and refuses a second with `TV_INVALID_REQUEST`.
   */
  async hostSession(sessionId: string): Promise<ResultMessage> {
    return this.#result(await this.#call({ type: 'host-session', sessionId }, []));
  }

  /** Closes the port; every pending request fails with `TV_PROXY_UNREACHABLE`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.onmessage = null;
    this.#port.close();
    this.#settleHello(new VaultError('TV_PROXY_UNREACHABLE', 'The channel to the vault proxy was closed'));
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new VaultError('TV_PROXY_UNREACHABLE', 'The channel to the vault proxy was closed'));
      this.#pending.delete(id);
    }
  }

  #result(reply: ProxyReply): ResultMessage {
    if (reply.type !== 'result') throw new VaultError('TV_MALFORMED_MESSAGE', `Expected a result, got ${reply.type}`);
    return reply;
  }

  async #call(message: { type: string; [key: string]: unknown }, transfer: Transferable[]): Promise<ProxyReply> {
    if (this.#closed) throw new VaultError('TV_PROXY_UNREACHABLE', 'The channel to the vault proxy is closed');
    await this.hello;
    const id = this.#nextId++;
    return new Promise<ProxyReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new VaultError('TV_PROXY_UNREACHABLE', 'The vault proxy did not answer in time'));
      }, this.#options.replyTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.#port.postMessage({ v: PROTOCOL_VERSION, ...message, id }, transfer);
      } catch (cause) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new VaultError('TV_INVALID_ARGUMENT', 'The request could not be sent to the vault proxy', { cause }));
      }
    });
  }

  #receive(data: unknown): void {
    let reply: ProxyReply;
    try {
      reply = parseMessage(ProxyReplySchema, data) as ProxyReply;
    } catch (err) {
      const error = toVaultError(err, 'TV_MALFORMED_MESSAGE');
      // A proxy of another version: fail everything on this port, loudly, instead of guessing.
      if (error.code === 'TV_VERSION_MISMATCH') {
        this.#settleHello(error);
        for (const pending of this.#pending.values()) pending.reject(error);
      }
      return;
    }
    switch (reply.type) {
      case 'hello':
        this.#settleHello(reply);
        return;
      case 'event':
        this.#options.onEvent?.(reply);
        return;
      default: {
        // An error without a request id answers the connection itself (bad config, version, …).
        if (reply.type === 'error' && reply.id === -1) {
          this.#settleHello(new VaultError(reply.error, reply.message));
          return;
        }
        const pending = this.#pending.get(reply.id);
        if (!pending) {
          // An answer nobody waits for any more (it came after the time limit): let its body go.
          if (reply.type === 'response') discardBody(reply);
          return;
        }
        this.#pending.delete(reply.id);
        clearTimeout(pending.timer);
        if (reply.type === 'error') pending.reject(new VaultError(reply.error, reply.message));
        else pending.resolve(reply);
      }
    }
  }
}
