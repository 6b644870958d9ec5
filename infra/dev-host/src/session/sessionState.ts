// Runs in Node (the OP answering an authorization request) and in the browser (the OP's
// check_session_iframe): WebCrypto and TextEncoder only.

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A salt for one session_state: 16 random bytes, base64url (no "." and no space). */
export function newSalt(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** A new OP browser state: 32 random bytes, base64url. Random, so it says nothing about the user. */
export function newBrowserState(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The session_state of OpenID Connect Session Management 1.0: the hex SHA-256 of
 * `client_id + " " + origin + " " + browser_state + " " + salt`, then "." and the salt, where origin
 * is the origin of the redirect URI the response goes to.
 *
 * @example
 * ```ts
 * await sessionState('demo', 'https://app.example.com', browserState, newSalt())
 * // 'c5b0…9e1f.Qm9vbXNhbHQ'
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#CreatingUpdatingSessions
 */
export async function sessionState(clientId: string, origin: string, browserState: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${clientId} ${origin} ${browserState} ${salt}`));
  return `${hex(digest)}.${salt}`;
}
