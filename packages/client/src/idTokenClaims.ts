import { VaultError } from '@tokenvault/protocol';

/** The ID token claims the session monitor looks at. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  nonce?: string;
}

/**
 * Reads the claims of an ID token without checking its signature. That is enough here because
 * the token came straight from the OP's token endpoint over TLS, in answer to our own code
 * (OpenID Connect Core §3.1.3.7, item 6); the caller still checks iss, aud and nonce.
 * Throws `TV_SESSION_CHECK_FAILED` for anything that is not a JWT with those claims.
 */
export function idTokenClaims(jwt: unknown): IdTokenClaims {
  // No payload part: '' is no JSON, so it fails below as any other non-JWT does.
  const [, part = ''] = typeof jwt === 'string' ? jwt.split('.') : [];
  let claims: unknown;
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))));
  } catch (cause) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', 'The ID token is not a JWT', { cause });
  }
  const c = claims as Partial<Record<keyof IdTokenClaims, unknown>> | null;
  const audOk = typeof c?.aud === 'string' || (Array.isArray(c?.aud) && c.aud.every((a) => typeof a === 'string'));
  if (typeof c?.iss !== 'string' || typeof c.sub !== 'string' || !audOk || (c.nonce !== undefined && typeof c.nonce !== 'string')) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', 'The ID token lacks iss, sub or aud');
  }
  return c as IdTokenClaims;
}
