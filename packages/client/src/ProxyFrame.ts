import { PROTOCOL_VERSION, VaultError } from '@tokenvault/protocol';
import { hiddenFrame, loadFrame } from '@tokenvault/oidc';

/**
 * The hidden iframe that holds the vault proxy. The page never reads anything from it: it only hands
 * it MessagePorts, addressed to the proxy origin exactly.
 */
export class ProxyFrame {
  readonly origin: string;
  readonly loaded: Promise<void>;
  #iframe: HTMLIFrameElement;

  constructor(proxyUrl: URL, timeoutMs: number) {
    this.origin = proxyUrl.origin;
    this.#iframe = hiddenFrame(proxyUrl.href, 'Token Vault proxy', 'no-referrer');
    // load also fires for an error page (or a page blocked by frame-ancestors): the hello on the
    // port, not this event, proves that the proxy runs.
    this.loaded = loadFrame(this.#iframe, timeoutMs, () => new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyFrameTimeout', origin: proxyUrl.origin }));
    this.loaded.catch(() => {});
  }

  /** Hands the proxy a new port and returns the other end. */
  connect(role: 'page' | 'worker', port: MessagePort): void {
    const target = this.#iframe.contentWindow;
    if (!target) throw new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyFrameDetached' });
    // Addressed to the proxy origin only: if the frame was navigated elsewhere, nothing is delivered.
    target.postMessage({ v: PROTOCOL_VERSION, type: 'connect', role }, this.origin, [port]);
  }

  remove(): void {
    this.#iframe.remove();
  }
}
