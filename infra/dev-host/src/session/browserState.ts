/** The cookie holding the OP browser state. Readable by the check_session_iframe's script, so not HttpOnly. */
export const BROWSER_STATE_COOKIE = 'op_browser_state';

const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The browser state in a Cookie header (or `document.cookie`), or null when absent or not one of ours. */
export function readBrowserState(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2) as [string, string?];
    if (name === BROWSER_STATE_COOKIE && value !== undefined && VALUE.test(value)) return value;
  }
  return null;
}

/**
 * The Set-Cookie value for a browser state: the whole OP origin, SameSite=Lax (the check frame
 * and prompt=none frames are same-site with the app), Secure on https, no expiry (a browser
 * restart then reads as "changed", and one prompt=none re-check sets a new one). An OP on another
 * site than its apps (`crossSite`) sends `SameSite=None` (and `Secure`, as browsers require of
 * it), as it must for its frames under an app to get the cookie at all (where the browser lets
 * third-party frames have cookies).
 */
export function browserStateCookie(value: string, secure: boolean, crossSite = false): string {
  return `${BROWSER_STATE_COOKIE}=${value}; Path=/; SameSite=${crossSite ? 'None' : 'Lax'}${secure ? '; Secure' : ''}`;
}
