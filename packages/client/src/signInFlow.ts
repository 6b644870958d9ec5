/**
 * The flow a sign-in takes: the one asked for, or what `'auto'` (or nothing) picks: the popup where
 * the engine partitions a same-site frame's storage by the top-level page (WebKit, measured: see
 * docs/browser-support.md), the redirect elsewhere. Both work with an OP that sends COOP (measured
 * in all three engines): the redirect flow does not need an opener, and WebKit's popup hands its
 * result over the proxy origin's cookie. `navigator.vendor` is "Apple Computer, Inc." in every
 * WebKit browser, "Google Inc." in Chromium's and empty in Firefox.
 *
 * @example
 * ```ts
 * if (signInFlow(options.flow) === 'popup') openSignInWindow(proxyOrigin)
 * ```
 */
export function signInFlow(flow: unknown): 'redirect' | 'popup' {
  return flow === 'redirect' || flow === 'popup' ? flow : /Apple/.test(navigator.vendor) ? 'popup' : 'redirect';
}
