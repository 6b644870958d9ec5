/** The part of the Navigation API this module uses (Chromium, Firefox 147+, Safari 26.2+). */
interface NavigateEventLike extends Event {
  readonly destination: { readonly url: string };
  readonly cancelable: boolean;
}

function sameEndpoint(url: string, endpoint: URL): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  return target.origin === endpoint.origin && target.pathname === endpoint.pathname;
}

/**
 * Watches this page's navigations for the OP's `end_session_endpoint`: an OIDC library signing out
 * (oidc-client-ts `signoutRedirect()`, openid-client `buildEndSessionUrl()` + `location.assign`)
 * navigates there itself, where the service worker cannot see it. The navigation is held until
 * `onEnd` (the vault revokes and clears its tokens) has run, then resumes to the same URL, so that
 * a user who comes back from the OP signed out finds the vault empty too. Uses the Navigation API's
 * `navigate` event; returns false where the browser has none (then only `vault.logout()` and a
 * landing at the `post_logout_redirect_uri`, see createVault, clear the vault).
 *
 * @example
 * ```ts
 * watchEndSession('https://op.example.com/session/end', () => port.request({ type: 'logout' }))
 * ```
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 * @see https://html.spec.whatwg.org/multipage/nav-history-apis.html#the-navigate-event
 */
export function watchEndSession(endSessionEndpoint: string, onEnd: () => Promise<unknown>, leaving: { now: boolean }): boolean {
  const navigation = (globalThis as { navigation?: EventTarget }).navigation;
  if (!navigation || !URL.canParse(endSessionEndpoint)) return false;
  const endpoint = new URL(endSessionEndpoint);
  navigation.addEventListener('navigate', (event) => {
    const navigate = event as NavigateEventLike;
    if (leaving.now || !sameEndpoint(navigate.destination.url, endpoint)) return;
    const url = navigate.destination.url;
    leaving.now = true;
    if (!navigate.cancelable) {
      // Cannot be held (a navigation the user started from the browser's UI): try anyway.
      void onEnd().catch(() => undefined);
      return;
    }
    navigate.preventDefault();
    void onEnd()
      .catch(() => undefined)
      .finally(() => {
        location.assign(url);
      });
  });
  return true;
}
