/**
 * Whether a request for the proxy's `/signin` may be served, from its `Sec-Fetch-Site` header: a
 * navigation from the app's own site (`same-origin`, `same-site`), or from a browser that sends no
 * Fetch Metadata (the page's one-time ticket still decides there). A page of another site
 * (`cross-site`) or a typed or bookmarked address (`none`) is refused: only a sign-in the app's
 * own vault started may run. Every server of the proxy origin applies it: the dev host, the Vite
 * plugin's proxy-origin server and the nginx template.
 *
 * @example
 * ```ts
 * signInNavigationAllowed(request.headers['sec-fetch-site']) // false for 'cross-site'
 * ```
 * @see https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header
 */
export function signInNavigationAllowed(secFetchSite: string | string[] | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'same-site';
}

/** The page a refused `/signin` gets (403): it says why, runs nothing and names the error code. */
export const SIGN_IN_REFUSED_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused</title></head><body>' +
  '<p>Token Vault: a sign-in starts from the app, not from another site (TV_SIGN_IN_NOT_STARTED).</p></body></html>\n';
