import type { PlaceholderShape } from '@tokenvault/config';
import type { TokenSet } from './TokenStore.js';

/**
 * What the OP-call handlers (revocation, introspection) may do with the vault's tokens. VaultProxy
 * lends it; the handlers stay small and testable with a stand-in.
 */
export interface VaultAccess {
  readonly clientId: string;
  readonly upstreamMs: number;
  /** The shape of the placeholders the app sends for the tokens. Default `'REDACTED'`. */
  readonly placeholderShape?: PlaceholderShape;
  /** Runs `task` under the vault's lock (across tabs), as every change of the tokens does. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** The stored tokens, read again from storage. */
  tokens(): Promise<TokenSet | null>;
  save(tokens: TokenSet): Promise<void>;
  /** Clears the vault and tells every tab (`signed-out`). */
  signOut(): Promise<void>;
}
