/**
 * Opens the popup sign-in's window on the proxy origin, or returns null when the browser blocked
 * it. Call it synchronously in the click's task: a browser opens a window only then, so nothing
 * may be awaited before it (not even the sign-in's chunk). The window is named: a second sign-in
 * takes the same window over.
 *
 * @example
 * ```ts
 * button.onclick = () => { const popup = openSignInWindow(frame.origin); … }
 * ```
 */
export function openSignInWindow(proxyOrigin: string): Window | null {
  return window.open(`${proxyOrigin}/signin?popup`, 'tokenvault-sign-in', 'popup,width=480,height=640');
}
