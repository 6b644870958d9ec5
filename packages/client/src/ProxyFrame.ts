import { PROTOCOL_VERSION, VaultError } from '@tokenvault/protocol';
import { hiddenFrame, loadFrame } from '@tokenvault/oidc';

/** The attribute of the proxy frame the build writes into the app's HTML (see earlyFrame). */
const EARLY_FRAME_ATTRIBUTE = 'data-tokenvault-proxy';

/** The hidden iframe that holds the vault proxy (see {@link proxyFrame}). */
export interface ProxyFrame {
  /** The proxy origin, the only one the page addresses the frame's window with. */
  readonly origin: string;
  /**
   * Settles when a connect can be posted: when the proxy says it listens (its `listening` message,
   * as soon as its script runs, or its answer to the page's ask when the frame came with the HTML),
   * or at the frame's load event, whichever comes first (a proxy without that message; load also
   * waits for the proxy's lazily loaded chunks). Rejects with `TV_PROXY_UNREACHABLE` when neither
   * comes in time.
   */
  readonly loaded: Promise<void>;
  /** Hands the proxy a new port. */
  connect(role: 'page' | 'worker', port: MessagePort): void;
  /** Removes the frame. */
  remove(): void;
}

/**
 * Mounts the hidden iframe that holds the vault proxy, or takes the one the page's HTML started.
 * The page never reads anything from it: it only hands it MessagePorts, addressed to the proxy
 * origin exactly.
 *
 * @example
 * ```ts
 * const frame = proxyFrame(new URL('https://proxy.example.com/'), 10_000)
 * await frame.loaded
 * frame.connect('page', channel.port2)
 * ```
 */
export function proxyFrame(proxyUrl: URL, timeoutMs: number): ProxyFrame {
  const origin = proxyUrl.origin;
  const early = earlyFrame(proxyUrl.href);
  const iframe = early ?? hiddenFrame(proxyUrl.href, 'Token Vault proxy', 'no-referrer');
  let listening!: (event: MessageEvent) => void;
  const announced = new Promise<void>((resolve) => {
    listening = (event) => {
      // Only this frame's own window, once it shows the proxy origin: another window (a popup, a
      // page that opened this one) or the frame's first about:blank (the app's origin) could
      // otherwise make the page connect before the proxy listens, and its connect would be lost.
      if (event.source !== iframe.contentWindow || event.origin !== origin) return;
      // The proxy's script runs: its announcement, or its answer to the ask below. One of another
      // protocol version (its listening, or its TV_VERSION_MISMATCH to the ask) counts too: the
      // connect then gets that version's typed answer (TV_VERSION_MISMATCH) instead of a time limit.
      resolve();
    };
  });
  window.addEventListener('message', listening);
  // The frame the HTML started may have announced itself before this script ran: ask again. Lost
  // if the proxy's script is not running yet; it then announces itself, to a page that listens.
  early?.contentWindow?.postMessage({ v: PROTOCOL_VERSION, type: 'ask-listening' }, origin);
  // load also fires for an error page (or a page blocked by frame-ancestors): the hello on the
  // port, not this event, proves that the proxy runs.
  const loaded = Promise.race([announced, loadFrame(iframe, timeoutMs, () => new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyFrameTimeout', origin }))]).finally(() => {
    window.removeEventListener('message', listening);
  });
  loaded.catch(() => {});
  return {
    origin,
    loaded,
    connect(role, port) {
      const target = iframe.contentWindow;
      if (!target) throw new VaultError('TV_PROXY_UNREACHABLE', { why: 'proxyFrameDetached' });
      // Addressed to the proxy origin only: if the frame was navigated elsewhere, nothing is delivered.
      target.postMessage({ v: PROTOCOL_VERSION, type: 'connect', role }, origin, [port]);
    },
    remove() {
      iframe.remove();
    },
  };
}

/**
 * The proxy frame the page's HTML started (the build writes it: `<iframe data-tokenvault-proxy>`),
 * so that the proxy loads beside the app's script instead of after it; taken once, and only if it
 * loads exactly `href` (any other frame is left alone, and the vault mounts its own).
 */
function earlyFrame(href: string): HTMLIFrameElement | undefined {
  const iframe = [...document.querySelectorAll<HTMLIFrameElement>(`iframe[${EARLY_FRAME_ATTRIBUTE}]`)].find((frame) => frame.src === href);
  iframe?.removeAttribute(EARLY_FRAME_ATTRIBUTE);
  return iframe;
}
