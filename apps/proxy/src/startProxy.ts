import {
  ConnectSchemas,
  PROTOCOL_VERSION,
  ProxyRequestSchemas,
  VaultError,
  encodeBody,
  parseMessage,
  toVaultError,
  type ConnectMessage,
  type ErrorMessage,
  type ProxyRequest,
} from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import { userClaims } from './AuthorizationFlow.js';
import { forwardedResponseHeaders } from './forwardedResponseHeaders.js';
import { listenForHost } from './listenForHost.js';
import { PopupSignIn } from './PopupSignIn.js';
import { SealedSession } from './SealedSession.js';
import { SignInTickets } from './SignInTickets.js';
import { startRedirectSignIn } from './signInPages.js';
import { VaultProxy } from './VaultProxy.js';

function errorReply(id: number, err: unknown, fallback: VaultError['code']): ErrorMessage {
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

function requestId(data: unknown): number {
  const id = (data as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/**
 * Starts the proxy's messaging: accepts ports only from the window that embeds it, only at an
 * allowed app origin, and answers every request on them with a response or a typed error.
 *
 * @returns the VaultProxy, or null when the page is not embedded (opened directly, it does nothing).
 */
export function startProxy(config: ResolvedProxyConfig, proxy = new VaultProxy(config)): VaultProxy | null {
  if (window.parent === window) return null;
  // Ask the OP for its metadata now, while the app waits for this frame's load event to connect:
  // the hello on each port waits for it.
  proxy.metadata().catch(() => {});
  const connections = new Set<Connection>();
  proxy.onEvent = (name, detail) => {
    const extra = {
      ...(detail?.reason ? { reason: detail.reason } : {}),
      ...(detail?.error ? { error: detail.error.code, message: detail.error.message } : {}),
    };
    for (const { port } of connections) port.postMessage({ v: PROTOCOL_VERSION, type: 'event', name, ...extra });
    // Sealed mode: the session monitor follows the sign-ins and sign-outs.
    if (name === 'signed-in') void session?.start();
    if (name === 'signed-out') void session?.stop();
  };
  proxy.hostSession.onTaken = () => {
    proxy.onEvent('host-session');
  };
  listenForHost(config, proxy.hostSession);
  const tickets = new SignInTickets();
  const popupSignIn = new PopupSignIn(proxy, (name, detail) => {
    proxy.onEvent(name, detail);
  });
  const session =
    config.mode === 'sealed'
      ? new SealedSession(
          proxy,
          (name, detail) => {
            proxy.onEvent(name, detail);
          },
          { watch: config.sessionWatch === 'auto' },
        )
      : null;
  void session?.start();

  async function answer(port: MessagePort, message: ProxyRequest, inFlight: Map<number, AbortController>): Promise<void> {
    switch (message.type) {
      case 'fetch': {
        // Until the head is in, the app can abort the request; after that, cancelling its body ends it.
        const controller = new AbortController();
        inFlight.set(message.id, controller);
        // A request that waits for an upstream place says so, and says when it starts: the page's
        // time limit for its answer counts from there (see QueuedMessage).
        const onQueue = (state: 'queued' | 'started', waitMs: number): void => {
          port.postMessage(state === 'queued' ? { v: PROTOCOL_VERSION, type: 'queued', id: message.id, waitMs } : { v: PROTOCOL_VERSION, type: 'started', id: message.id });
        };
        const response = await proxy.handleFetch(message.request, controller.signal, onQueue).finally(() => inFlight.delete(message.id));
        // How the body crosses (bytes, transferred stream or body channel) is encodeBody's to decide.
        const body = await encodeBody(response);
        port.postMessage(
          {
            v: PROTOCOL_VERSION,
            type: 'response',
            id: message.id,
            status: response.status,
            statusText: response.statusText,
            headers: forwardedResponseHeaders(response.headers),
            body,
          },
          body ? [body] : [],
        );
        return;
      }
      case 'logout': {
        const outcome = await proxy.logout(message.postLogoutRedirectUri);
        // Signed out in memory even where the storage failed: the status says so without reading it.
        const status = await proxy.status().catch(() => ({ signedIn: false, expiresAt: null, apis: [] }));
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...status, ...outcome });
        return;
      }
      case 'abort':
        inFlight.get(message.id)?.abort();
        return;
      case 'status':
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()) });
        return;
      case 'sign-in': {
        const { prompt, loginHint, scope } = message;
        const hints = { ...(prompt ? { prompt } : {}), ...(loginHint ? { loginHint } : {}), ...(scope ? { scope } : {}) };
        if (message.flow === 'redirect') {
          // The tab goes to /signin next: it starts only with this ticket, kept in this origin's store.
          const ticket = await startRedirectSignIn(config, tickets, hints, message.returnTo);
          port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()), ticket });
          return;
        }
        popupSignIn.begin(hints);
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()) });
        return;
      }
      case 'user': {
        const idToken = await proxy.idToken();
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status()), user: idToken ? userClaims(idToken) : null });
        return;
      }
      case 'host-session':
        // From the app: refused unless the configuration says 'app-window' (compatibility).
        proxy.hostSession.fromApp(message.sessionId);
        // The host session lives in memory: it must not fail where the frame's storage is denied.
        port.postMessage({ v: PROTOCOL_VERSION, type: 'result', id: message.id, ...(await proxy.status().catch(() => ({ signedIn: false, expiresAt: null, apis: [] }))) });
        return;
    }
  }

  function serve(port: MessagePort, role: ConnectMessage['role']): void {
    if (role === 'worker') {
      const now = Date.now();
      for (const old of connections) {
        if (old.role === 'worker' && old.busy === 0 && now - old.lastUsed >= RETIRE_IDLE_WORKER_PORT_MS) {
          connections.delete(old);
          old.port.onmessage = null;
          old.port.close();
        }
      }
    }
    const connection: Connection = { port, role, busy: 0, lastUsed: Date.now(), inFlight: new Map() };
    connections.add(connection);
    port.onmessage = (event) => {
      connection.lastUsed = Date.now();
      let message: ProxyRequest;
      try {
        message = parseMessage(ProxyRequestSchemas, event.data);
      } catch (err) {
        port.postMessage(errorReply(requestId(event.data), err, 'TV_MALFORMED_MESSAGE'));
        return;
      }
      connection.busy++;
      answer(port, message, connection.inFlight)
        .catch((err: unknown) => {
          port.postMessage(errorReply(message.id, err, 'TV_INTERNAL'));
        })
        .finally(() => {
          connection.busy--;
          connection.lastUsed = Date.now();
        });
    };
    proxy.metadata().then(
      (metadata) => {
        port.postMessage({ v: PROTOCOL_VERSION, type: 'hello', endpoints: metadata.endpoints, hostHandoff: config.hostSession.handoff });
        // A port connected after the host's handoff learns that there is one (never what it is).
        if (proxy.hostSession.present) port.postMessage({ v: PROTOCOL_VERSION, type: 'event', name: 'host-session' });
      },
      (err: unknown) => {
        port.postMessage(errorReply(-1, err, 'TV_UPSTREAM_UNREACHABLE'));
      },
    );
  }

  window.addEventListener('message', (event) => {
    // Only the embedding window, only at an allowed origin. Anything else is dropped unanswered:
    // there is no origin we could safely address an answer to.
    if (event.source !== window.parent || !config.appOrigins.includes(event.origin)) return;
    // Any window at an allowed origin may send this: it may carry no port at all.
    const port = event.ports[0] as MessagePort | undefined;
    let connect: ConnectMessage;
    try {
      connect = parseMessage(ConnectSchemas, event.data);
      if (event.ports.length !== 1 || !port) throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'connectOnePort' });
    } catch (err) {
      const reply = errorReply(-1, err, 'TV_MALFORMED_MESSAGE');
      if (port) port.postMessage(reply);
      else window.parent.postMessage(reply, event.origin);
      return;
    }
    serve(port, connect.role);
  });
  return proxy;
}
