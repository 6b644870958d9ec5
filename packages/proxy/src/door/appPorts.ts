import {
  PROTOCOL_VERSION,
  VaultError,
  looksLikeHostHandoff,
  parseDoorMessage,
  toVaultError,
  type ConnectMessage,
  type DoorMessage,
  type ErrorMessage,
  type ListeningMessage,
  type ProxyRequest,
} from '@tokenvault/protocol';
import type { parseRequest } from './parseRequest.js';

/** The check of a request on a port (its chunk is loaded with the first request). */
type RequestCheck = typeof parseRequest;

/** The typed error a request (or a connect message, `id` -1) is answered with. */
export function errorReply(id: number, err: unknown, fallback: VaultError['code']): ErrorMessage {
  const error = toVaultError(err, fallback);
  return { v: PROTOCOL_VERSION, type: 'error', id, error: error.code, message: error.message };
}

/**
 * How long a worker's port must have been idle before a newer worker connection retires it. The
 * browser stops idle workers and replaces updated ones, and a MessagePort tells nobody when its
 * other end is gone; without this, each worker restart would leave a dead port here for as long
 * as the page lives. A live worker switches to its newest port at once, so a port idle this long
 * belongs to a worker that is gone or no longer uses it.
 */
export const RETIRE_IDLE_WORKER_PORT_MS = 60_000;

/** A connected port and what the proxy knows about its use. */
interface Connection {
  port: MessagePort;
  role: ConnectMessage['role'];
  /** Requests received and not yet answered. */
  busy: number;
  /** When it last received a request or answered one. */
  lastUsed: number;
  /** Fetches whose head is not in yet, by id: the app can abort them. */
  inFlight: Map<number, AbortController>;
}

const LISTENING: ListeningMessage = { v: PROTOCOL_VERSION, type: 'listening' };

function requestId(data: unknown): number {
  const id = (data as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/** What the frame does with what comes in on a port: the door checks, the frame decides. */
export interface PortHandlers {
  /**
   * Answers one request, already checked against the protocol's schemas. A throw is answered as a
   * typed error (`TV_INTERNAL` unless it is a VaultError). `inFlight` holds the port's fetches
   * whose head is not in yet, by id: an `abort` ends one.
   */
  answer(port: MessagePort, message: ProxyRequest, inFlight: Map<number, AbortController>): Promise<void>;
  /** Greets a newly connected port (the hello). */
  greet(port: MessagePort): void;
}

/**
 * The door from the app's pages and its worker: takes a port only in a connect message from the
 * window that embeds this frame, at an allowed app origin; checks each message on it against the
 * protocol's schemas and answers a malformed one with a typed error; retires a worker's port that
 * a newer one has replaced. Knows nothing of tokens: what a request does is `handlers`'.
 *
 * @example
 * ```ts
 * const ports = new AppPorts(config.appOrigins, { answer, greet })
 * ports.listen()
 * ports.broadcast({ v: PROTOCOL_VERSION, type: 'event', name: 'signed-in' })
 * ```
 */
export class AppPorts {
  readonly #appOrigins: readonly string[];
  readonly #handlers: PortHandlers;
  readonly #connections = new Set<Connection>();
  /** The check of requests, once its chunk is in; the chunk while it loads (see #loadCheck). */
  #check: RequestCheck | null = null;
  #loading: Promise<RequestCheck> | null = null;

  constructor(appOrigins: readonly string[], handlers: PortHandlers) {
    this.#appOrigins = appOrigins;
    this.#handlers = handlers;
  }

  /** Posts `message` on every connected port (but `except`). */
  broadcast(message: unknown, except?: MessagePort): void {
    for (const { port } of this.#connections) if (port !== except) port.postMessage(message);
  }

  /**
   * Starts taking connect messages from the window that embeds `win`. `early` are the messages
   * the window received before (while the page read its configuration): they are taken first, in
   * order, as if they came now, so that a connect posted at the frame's load event is not lost.
   */
  listen(win: Window = window, early: readonly MessageEvent[] = []): void {
    const take = (event: MessageEvent): void => {
      // Only the embedding window, only at an allowed origin. Anything else is dropped unanswered:
      // there is no origin we could safely address an answer to.
      if (event.source !== win.parent || !this.#appOrigins.includes(event.origin)) return;
      // A host handoff is listenForHost's door (it refuses one from the app's window, which is not
      // the host's): answered here too, the app's window would hear TV_MALFORMED_MESSAGE first.
      // Without a direct handoff nobody listens for one, and it is dropped as anything else is.
      if (looksLikeHostHandoff(event.data)) return;
      // Any window at an allowed origin may send this: it may carry no port at all.
      const port = event.ports[0] as MessagePort | undefined;
      let message: DoorMessage;
      try {
        message = parseDoorMessage(event.data);
        const ports = message.type === 'connect' ? 1 : 0;
        if (event.ports.length !== ports) throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'connectOnePort' });
      } catch (err) {
        const reply = errorReply(-1, err, 'TV_MALFORMED_MESSAGE');
        if (port) port.postMessage(reply);
        else win.parent.postMessage(reply, event.origin);
        return;
      }
      // A page that adopted the frame its HTML started may have missed the announcement: it is
      // repeated to that page's origin only.
      if (message.type === 'ask-listening') win.parent.postMessage(LISTENING, event.origin);
      else this.#serve(event.ports[0], message.role);
    };
    for (const event of early) take(event);
    win.addEventListener('message', take);
  }

  #serve(port: MessagePort, role: ConnectMessage['role']): void {
    if (role === 'worker') {
      const now = Date.now();
      for (const old of this.#connections) {
        if (old.role === 'worker' && old.busy === 0 && now - old.lastUsed >= RETIRE_IDLE_WORKER_PORT_MS) {
          this.#connections.delete(old);
          old.port.onmessage = null;
          old.port.close();
        }
      }
    }
    const connection: Connection = { port, role, busy: 0, lastUsed: Date.now(), inFlight: new Map() };
    this.#connections.add(connection);
    port.onmessage = (event) => {
      connection.lastUsed = Date.now();
      const check = this.#check;
      if (check) {
        this.#take(connection, event.data, check);
        return;
      }
      // The first requests wait for the check's chunk (valibot and the schemas). They take their
      // turn in the order they came, an abort never before the fetch it aborts: every one of them
      // waits on the same promise, whose reactions run in order, before any later message.
      this.#loadCheck().then(
        (loaded) => {
          this.#take(connection, event.data, loaded);
        },
        (err: unknown) => {
          port.postMessage(errorReply(requestId(event.data), err, 'TV_INTERNAL'));
        },
      );
    };
    this.#handlers.greet(port);
  }

  /** Starts loading the requests' check (see startProxy: after the first hello). */
  preloadCheck(): void {
    this.#loadCheck().catch(() => {});
  }

  /** The check's chunk, loaded once; a failure to load is tried again with the next request. */
  #loadCheck(): Promise<RequestCheck> {
    this.#loading ??= import('./parseRequest.js').then(
      ({ parseRequest }) => (this.#check = parseRequest),
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }

  /** Checks one request and has it answered; a malformed one gets a typed error. */
  #take(connection: Connection, data: unknown, check: RequestCheck): void {
    const { port } = connection;
    let message: ProxyRequest;
    try {
      message = check(data);
    } catch (err) {
      port.postMessage(errorReply(requestId(data), err, 'TV_MALFORMED_MESSAGE'));
      return;
    }
    connection.busy++;
    this.#handlers
      .answer(port, message, connection.inFlight)
      .catch((err: unknown) => {
        port.postMessage(errorReply(message.id, err, 'TV_INTERNAL'));
      })
      .finally(() => {
        connection.busy--;
        connection.lastUsed = Date.now();
      });
  }
}
