import { VaultError, type ResolvedProxyConfig, type SerializedRequest } from '@tokenvault/protocol';
import { sendWithCredential } from './sendWithCredential.js';

// Long messages are for development: the proxy ships built for production and keeps the codes.
const dev = process.env.NODE_ENV !== 'production';

/**
 * The session ID that the page embedding the app (the "host") handed it, kept in this proxy
 * frame's memory only: one per page, gone with the page, never in storage. The host hands it
 * again on every load, and memory is also all the proxy reliably has when the app is embedded
 * cross-site, where browsers partition or deny the proxy frame's storage.
 */
export class HostSession {
  #config: ResolvedProxyConfig;
  #sessionId: string | null = null;

  constructor(config: ResolvedProxyConfig) {
    this.#config = config;
  }

  get present(): boolean {
    return this.#sessionId !== null;
  }

  /**
   * Keeps the ID. Only the first one counts: a second one is refused (`TV_INVALID_REQUEST`), so
   * that nothing running in the app later can swap the session the host chose.
   */
  set(sessionId: string): void {
    if (this.#sessionId !== null) throw new VaultError('TV_INVALID_REQUEST', dev ? 'This page already handed the vault a host session ID' : '');
    this.#sessionId = sessionId;
  }

  /** Performs a request that matched a `host_session` rule, with the ID in the configured header. */
  send(request: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    if (this.#sessionId === null) throw new VaultError('TV_NO_HOST_SESSION');
    const { header, prefix } = this.#config.hostSession;
    return sendWithCredential(request, { [header]: `${prefix}${this.#sessionId}` }, this.#config.timeouts.upstreamMs, signal);
  }
}
