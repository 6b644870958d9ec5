// Private to @tokenvault/client: what the client's own helpers may do with a vault that an app
// cannot. Not exported from the package.
import { VaultError } from '@tokenvault/protocol';
import type { Vault } from './createVault.js';

export interface VaultInternals {
  /** Hands the proxy the session ID the embedding host gave this page (once per page). */
  hostSession(sessionId: string): Promise<void>;
}

const internals = new WeakMap<Vault, VaultInternals>();

export function registerVaultInternals(vault: Vault, value: VaultInternals): void {
  internals.set(vault, value);
}

/** The internals of a vault made by `createVault`; throws `TV_INVALID_ARGUMENT` for anything else. */
export function vaultInternals(vault: unknown, caller: string): VaultInternals {
  const value = typeof vault === 'object' && vault !== null ? internals.get(vault as Vault) : undefined;
  if (!value) throw new VaultError('TV_INVALID_ARGUMENT', process.env.NODE_ENV !== 'production' ? `${caller}: the first argument must be a vault made by createVault()` : caller);
  return value;
}
