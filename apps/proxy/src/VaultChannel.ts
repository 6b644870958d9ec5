/** What one tab's proxy tells the others' on the channel. */
export type Notice = { type: 'changed' } | { type: 'signed-out'; reason?: string };

/**
 * The BroadcastChannel between this browser's proxy frames (one per tab, each with a memory copy of
 * the tokens): a change in one tab makes the others read storage again, a sign-out signs them out.
 *
 * @example
 * ```ts
 * const channel = new VaultChannel((notice) => notice.type === 'signed-out' && showSignIn())
 * channel.post({ type: 'changed' })
 * ```
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export class VaultChannel {
  #channel = new BroadcastChannel('tokenvault');

  /** `onNotice` runs for each notice another tab's proxy posts (never for this one's own). */
  constructor(onNotice: (notice: Notice) => void) {
    this.#channel.onmessage = (event: MessageEvent<Notice>) => onNotice(event.data);
  }

  post(notice: Notice): void {
    this.#channel.postMessage(notice);
  }
}
