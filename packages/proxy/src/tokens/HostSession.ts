import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import { sendWithCredential } from '../network/sendWithCredential.js';

/**
 * The session ID that the page embedding the app (the "host") handed it, kept in this proxy
 * frame's memory only: one per page, gone with the page, never in storage. The host hands it to
 * every proxy page that announces itself (listenForHost), and memory is also all the proxy reliably
 * has when the app is embedded cross-site, where browsers partition or deny the proxy frame's storage.
 *
 * Where it may come from is the proxy's own configuration (`hostSession.handoff`): from the host
 * window directly (`'direct'`, the default), or from the app (`'app-window'`, compatibility).
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

  /** Told once, when the ID is taken. */
  onTaken: () => void = () => {};

  /**
   * Keeps the ID the host window handed over (listenForHost has checked window and origin). Only
   * the first one counts: a second one is refused (`TV_HOST_SESSION_ALREADY_SET`) and changes nothing.
   */
  set(sessionId: string): void {
    if (this.#sessionId !== null) throw new VaultError('TV_HOST_SESSION_ALREADY_SET', { why: 'hostSessionAlreadySet' });
    this.#sessionId = sessionId;
    this.onTaken();
  }

  /**
   * An ID the app sent on its port (`host-session`). Taken only in the compatibility mode
   * (`handoff: 'app-window'`), the first one only; otherwise refused with `TV_HOST_SESSION_REFUSED`:
   * anything in the app origin can send this message, so it cannot be what decides the session.
   */
  fromApp(sessionId: string): void {
    if (this.#config.hostSession.handoff !== 'app-window') {
      throw new VaultError('TV_HOST_SESSION_REFUSED', { why: 'hostSessionFromHostOnly' });
    }
    this.set(sessionId);
  }

  /** Performs a request that matched a `host_session` rule, with the ID in the configured header. */
  send(request: SerializedRequest, signal?: AbortSignal): Promise<Response> {
    if (this.#sessionId === null) throw new VaultError('TV_NO_HOST_SESSION');
    const { header, prefix } = this.#config.hostSession;
    return sendWithCredential(request, { [header]: `${prefix}${this.#sessionId}` }, this.#config.timeouts.upstreamMs, signal);
  }
}
