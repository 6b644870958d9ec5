import { dev, PROTOCOL_VERSION, VaultError } from '@tokenvault/protocol';

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
    const iframe = document.createElement('iframe');
    iframe.src = proxyUrl.href;
    iframe.title = 'Token Vault proxy';
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.referrerPolicy = 'no-referrer';
    this.#iframe = iframe;
    this.loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new VaultError('TV_PROXY_UNREACHABLE', dev ? `The vault proxy at ${proxyUrl.origin} did not load in time` : '')), timeoutMs);
      // load also fires for an error page (or a page blocked by frame-ancestors): the hello on the
      // port, not this event, proves that the proxy runs.
      iframe.addEventListener('load', () => (clearTimeout(timer), resolve()), { once: true });
    });
    this.loaded.catch(() => {});
    (document.body ?? document.documentElement).append(iframe);
  }

  /** Hands the proxy a new port and returns the other end. */
  connect(role: 'page' | 'worker', port: MessagePort): void {
    const target = this.#iframe.contentWindow;
    if (!target) throw new VaultError('TV_PROXY_UNREACHABLE', dev ? 'The vault proxy frame is not attached' : '');
    // Addressed to the proxy origin only: if the frame was navigated elsewhere, nothing is delivered.
    target.postMessage({ v: PROTOCOL_VERSION, type: 'connect', role }, this.origin, [port]);
  }

  remove(): void {
    this.#iframe.remove();
  }
}
