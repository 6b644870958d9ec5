import { REDACTED, type SerializedRequest } from '@tokenvault/protocol';
import type { TokenSet } from '../src/TokenStore.js';
import type { VaultAccess } from '../src/VaultAccess.js';

/** A form POST as the app's library sends it. */
export function form(url: string, fields: [string, string][], contentType = 'application/x-www-form-urlencoded'): SerializedRequest {
  const body = new TextEncoder().encode(new URLSearchParams(fields).toString()).buffer;
  return { url, method: 'POST', headers: [['content-type', contentType]], body };
}

export const STORED: TokenSet = {
  accessToken: 'at-secret',
  refreshToken: 'rt-secret',
  idToken: null,
  tokenType: 'Bearer',
  scope: 'openid api',
  expiresAt: Date.now() + 600_000,
};

/** A VaultAccess over one in-memory token set, recording what the handler did. */
export function memoryAccess(initial: TokenSet | null): VaultAccess & { current: TokenSet | null; signedOut: number } {
  const access = {
    clientId: 'spa',
    upstreamMs: 5000,
    current: initial,
    signedOut: 0,
    exclusive: <T>(task: () => Promise<T>) => task(),
    tokens: async () => access.current,
    save: async (tokens: TokenSet) => void (access.current = tokens),
    signOut: async () => {
      access.current = null;
      access.signedOut++;
    },
  };
  return access;
}

export { REDACTED };
