/** What one tab's proxy tells the others' on the channel. */
export type Notice = { type: 'changed' } | { type: 'signed-in' } | { type: 'signed-out'; reason?: string };

/**
 * The BroadcastChannel between this browser's proxy frames (one per tab, each with a memory copy of
 * the tokens): a change in one tab makes the others read storage again, a sign-in tells their apps
 * `signed-in` (and starts their session watch), a sign-out signs them out with its reason.
 * `onNotice` runs for each notice another tab's proxy posts (never for this one's own); the
 * returned function posts one.
 *
 * @example
 * ```ts
 * const post = vaultChannel((notice) => notice.type === 'signed-out' && showSignIn())
 * post({ type: 'changed' })
 * ```
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export function vaultChannel(onNotice: (notice: Notice | undefined) => void): (notice: Notice) => void {
  const channel = new BroadcastChannel('tokenvault');
  channel.onmessage = (event: MessageEvent<Notice | undefined>) => {
    onNotice(event.data);
  };
  return (notice) => {
    channel.postMessage(notice);
  };
}
