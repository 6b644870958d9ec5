import { PROTOCOL_VERSION, VaultError, parseListening } from '@tokenvault/protocol';
import { hiddenFrame, loadFrame } from '@tokenvault/oidc';

/**
 * The hidden iframe that holds the vault proxy. The page never reads anything from it: it only hands
 * it MessagePorts, addressed to the proxy origin exactly.
 */
export class ProxyFrame {
  readonly origin: string;
  /**
   * Settles when a connect can be posted: when the proxy says it listens (its `listening` message,
   * as soon as its script runs), or at the frame's load event, whichever comes first (a proxy
   * without that message; load also waits for the proxy's lazily loaded chunks). Rejects with
   * `TV_PROXY_UNREACHABLE` when neither comes in time.
   */
  readonly loaded: Promise<void>;
  #iframe: HTMLIFrameElement;

  constructor(proxyUrl: URL, timeoutMs: number) {
    const origin = (this.origin = proxyUrl.origin);
    const iframe = (this.#iframe = hiddenFrame(proxyUrl.href, 'Token Vault proxy', 'no-referrer'));
    let listening!: (event: MessageEvent) => void;
    const announced = new Promise<void>((resolve) => {
      listening = (event) => {
        // Only this frame's own window, once it shows the proxy origin: another window (a popup, a
        // page that opened this one) or the frame's first about:blank (the app's origin) could
        // otherwise make the page connect before the proxy listens, and its connect would be lost.
        if (event.source !== iframe.contentWindow || event.origin !== origin) return;
        try {
          parseListening(event.data);
          resolve();
        } catch {
          // Not the announcement (or another protocol version's): the load event decides.
        }
      };
    });
    window.addEventListener('message', listening);
    // load also fires for an error page (or a page blocked by frame-ancestors): the hello on the
    // port, not this event, proves that the proxy runs.
    const loaded = loadFrame(iframe, timeoutMs, () => new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyFrameTimeout', origin }));
    this.loaded = Promise.race([announced, loaded]).finally(() => {
      window.removeEventListener('message', listening);
    });
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
