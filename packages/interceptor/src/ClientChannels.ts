import { FETCH_REPLIES, PROTOCOL_VERSION, FetchPort, VaultError, parseWorkerMessage, toVaultError } from '@tokenvault/protocol';
import type { ResolvedInterceptorConfig } from '@tokenvault/config';

declare const self: ServiceWorkerGlobalScope;

/** A page asked for a port: what its requests wait for, and how that wait ends. */
interface Asked {
  port: Promise<FetchPort>;
  settle(result: FetchPort | VaultError): void;
}

/**
 * The worker's channels to the proxy, one per controlled page (a page hands the worker a port whose
 * other end the proxy holds). A stopped worker loses them all; the next request then asks its page
 * for a new port instead of failing.
 */
export class ClientChannels {
  #config: ResolvedInterceptorConfig;
  #ports = new Map<string, FetchPort>();
  #asked = new Map<string, Asked>();

  constructor(config: ResolvedInterceptorConfig) {
    this.#config = config;
  }

  /** Handles a message from a page of this origin. Anything else is ignored. */
  onMessage(event: ExtendableMessageEvent): void {
    const source = event.source;
    // Only pages of our own origin can message the worker, but say it explicitly: a port from
    // anything else is never adopted.
    if (!(source instanceof Client) || event.origin !== self.location.origin) return;
    let message;
    try {
      message = parseWorkerMessage(event.data);
    } catch (err) {
      // Tell the page why nothing happens: after a half-rolled-out upgrade it updates this worker.
      const error = toVaultError(err, 'TV_MALFORMED_MESSAGE');
      source.postMessage({ v: PROTOCOL_VERSION, type: 'error', error: error.code, message: error.message });
      return;
    }
    if (message.type === 'claim') {
      event.waitUntil(self.clients.claim());
      return;
    }
    const [transferred] = event.ports as [MessagePort?];
    if (message.type !== 'connect' || event.ports.length !== 1 || !transferred) return;
    const port = new FetchPort(transferred, {
      helloTimeoutMs: this.#config.timeouts.proxyMs,
      replyTimeoutMs: this.#config.timeouts.upstreamMs + this.#config.timeouts.proxyMs,
      bytesAsStream: true,
      replies: FETCH_REPLIES,
    });
    event.waitUntil(this.#adopt(source, port));
  }

  async #adopt(client: Client, port: FetchPort): Promise<void> {
    try {
      await port.hello;
    } catch (err) {
      port.close();
      this.#settle(client.id, err instanceof VaultError ? err : new VaultError('TV_PROXY_UNREACHABLE'));
      return;
    }
    this.#ports.set(client.id, port);
    this.#settle(client.id, port);
    client.postMessage({ v: PROTOCOL_VERSION, type: 'connected' });
    await this.#prune();
  }

  #settle(clientId: string, result: FetchPort | VaultError): void {
    this.#asked.get(clientId)?.settle(result);
    this.#asked.delete(clientId);
  }

  /** Forgets the ports of pages that are gone. */
  async #prune(): Promise<void> {
    const alive = new Set((await self.clients.matchAll({ includeUncontrolled: true })).map((c) => c.id));
    for (const [id, port] of this.#ports) {
      if (!alive.has(id)) {
        port.close();
        this.#ports.delete(id);
      }
    }
  }

  /**
   * The channel for the page that made a request. When the worker has none (it was restarted), asks
   * the page for one and waits up to the proxy time limit; then fails with `TV_PROXY_UNREACHABLE`.
   */
  async portFor(clientId: string): Promise<FetchPort> {
    const existing = this.#ports.get(clientId);
    if (existing && !existing.closed) return existing;
    const client = clientId ? await self.clients.get(clientId) : undefined;
    if (!client) {
      // A request without a page (or from a page that is gone): any live channel will do.
      for (const port of this.#ports.values()) if (!port.closed) return port;
      throw new VaultError('TV_PROXY_UNREACHABLE', { why: 'noPageConnected' });
    }
    // Every request of the page waits for the one port it is asked for, within one time limit.
    let asked = this.#asked.get(clientId);
    if (!asked) {
      let settle!: Asked['settle'];
      const port = new Promise<FetchPort>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#settle(clientId, new VaultError('TV_PROXY_UNREACHABLE', { why: 'connectTimeout' }));
        }, this.#config.timeouts.proxyMs);
        settle = (result) => {
          clearTimeout(timer);
          if (result instanceof VaultError) reject(result);
          else resolve(result);
        };
      });
      this.#asked.set(clientId, (asked = { port, settle }));
      client.postMessage({ v: PROTOCOL_VERSION, type: 'need-port' });
    }
    return asked.port;
  }
}
