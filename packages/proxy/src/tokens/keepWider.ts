import { jwtPayload } from '@tokenvault/oidc';
import type { TokenSet } from './TokenStore.js';

/** The `sub` claim of an ID token (read, not verified: see jwtPayload). */
function subject(idToken: string | null): string | null {
  const sub = jwtPayload(idToken)?.sub;
  return typeof sub === 'string' ? sub : null;
}

function scopes(scope: string | null): Set<string> | null {
  return scope === null ? null : new Set(scope.split(' ').filter(Boolean));
}

/**
 * True when `narrow` lacks a scope that `wide` has, and has none that `wide` lacks; on a code
 * exchange, also when `narrow`'s scope is unknown (an answer without `scope` to a request whose
 * scope the vault did not see: drop-in mode) and `wide`'s is known.
 */
function strictlyNarrower(narrow: TokenSet, wide: TokenSet, grant: 'authorization_code' | 'refresh_token'): boolean {
  const a = scopes(narrow.scope);
  const b = scopes(wide.scope);
  if (!b) return false;
  if (!a) return grant === 'authorization_code';
  return a.size < b.size && [...a].every((s) => b.has(s));
}

/**
 * What the vault keeps when the app's library redeems a code or refreshes and the OP answers with
 * fewer scopes than the stored set has — a library's session-status query (`prompt=none`,
 * `scope=openid`) does exactly that. A narrower set never replaces a wider one silently:
 *
 * - **Code exchange, same user** (the ID tokens' `sub` match) **and strictly fewer scopes**: the
 *   stored set stays as it is; the narrower tokens are dropped (the app still gets its answer, redacted).
 * - **Refresh with strictly fewer scopes** (a `scope` parameter narrowing it, RFC 6749 §6): the new
 *   refresh token and ID token are kept (the OP may have rotated the old refresh token), the wider
 *   access token, its scope and expiry stay; when it expires, the vault's own refresh (with no
 *   `scope` parameter) asks for the whole grant again.
 * - **An answer without `scope`** has the requested scope (RFC 6749 §5.1; toTokenSet fills it in
 *   where the vault knows it: sealed sign-ins, refresh grants). A code exchange whose requested
 *   scope the vault never saw (drop-in mode) is of unknown width: for the same user it does not
 *   replace a stored set whose scope is known.
 * - **Anything else** — another user, the same or more scopes, scopes not comparable, no scope
 *   known on either side, no ID token where one is needed — the new set replaces the stored one.
 *
 * @example
 * ```ts
 * keepWider(stored, narrower, 'authorization_code') // stored, when the user is the same
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function keepWider(stored: TokenSet | null, next: TokenSet, grant: 'authorization_code' | 'refresh_token'): TokenSet {
  if (!stored || !strictlyNarrower(next, stored, grant)) return next;
  if (grant === 'refresh_token') {
    return { ...stored, refreshToken: next.refreshToken ?? stored.refreshToken, idToken: next.idToken ?? stored.idToken };
  }
  const user = subject(stored.idToken);
  return user !== null && user === subject(next.idToken) ? stored : next;
}
