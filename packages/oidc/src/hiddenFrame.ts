import { type VaultError } from '@tokenvault/protocol';

/**
 * The client's hidden iframes (the vault proxy, the OP's check_session_iframe, a `prompt=none`
 * authorization request), built one way: hidden, out of the tab order and the accessibility tree,
 * titled for whoever inspects the page. Not attached yet: the caller listens first (see loadFrame).
 *
 * @example
 * ```ts
 * const iframe = hiddenFrame(url.href, 'Session check (prompt=none)')
 * iframe.addEventListener('load', onLoad)
 * attachFrame(iframe)
 * ```
 */
export function hiddenFrame(src: string, title: string, referrerPolicy?: ReferrerPolicy): HTMLIFrameElement {
  const iframe = document.createElement('iframe');
  iframe.src = src;
  iframe.title = title;
  iframe.hidden = true;
  iframe.tabIndex = -1;
  iframe.setAttribute('aria-hidden', 'true');
  if (referrerPolicy !== undefined) iframe.referrerPolicy = referrerPolicy;
  return iframe;
}

/** Attaches a frame to the page (to the root element when there is no body yet). */
export function attachFrame(iframe: HTMLIFrameElement): void {
  // Null before the parser reaches <body>, whatever lib.dom says.
  ((document.body as HTMLElement | null) ?? document.documentElement).append(iframe);
}

/**
 * Attaches `iframe` (unless it is in the document already: moving a frame would load it again) and
 * resolves on its next `load`, or rejects with `timeout()` after `timeoutMs`. `load` also fires for an error page or a page the browser refused to frame: what
 * the frame answers, not this event, proves that it runs.
 *
 * @example
 * ```ts
 * await loadFrame(hiddenFrame(src, 'OP session check'), 10_000, () => new VaultError('TV_SESSION_CHECK_FAILED'))
 * ```
 */
export function loadFrame(iframe: HTMLIFrameElement, timeoutMs: number, timeout: () => VaultError): Promise<void> {
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(timeout());
    }, timeoutMs);
    iframe.addEventListener(
      'load',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  if (!iframe.isConnected) attachFrame(iframe);
  return loaded;
}
