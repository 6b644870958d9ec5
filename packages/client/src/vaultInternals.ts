// Private to @tokenvault/client: what the client's own helpers may do with a vault that an app
// cannot. Not exported from the package.
import { VaultError, type HostSessionHandoff } from '@tokenvault/protocol';
import type { Vault } from './createVault.js';

export interface VaultInternals {
  /** Hands the proxy the session ID the embedding host posted to this page ('app-window' handoff only). */
  hostSession(sessionId: string): Promise<void>;
  /** How the proxy takes a host session ID, from its own configuration (its hello). */
  hostHandoff(): Promise<HostSessionHandoff>;
  /** Resolves once the proxy says it holds a host session ID. */
  readonly hostSessionHeld: Promise<void>;
}

/** Whether the proxy said it holds a host session ID: said once, remembered (see {@link hostSessionSignal}). */
export interface HostSessionSignal {
  /** Resolves at the proxy's first `host-session` event. */
  readonly held: Promise<void>;
  /** Records the proxy's `host-session` event; true the first time only. */
  take(): boolean;
}

/** A new {@link HostSessionSignal}. */
export function hostSessionSignal(): HostSessionSignal {
  let resolve!: () => void;
  let taken = false;
  return {
    held: new Promise<void>((done) => (resolve = done)),
    take: () => !taken && ((taken = true), resolve(), true),
  };
}

const internals = new WeakMap<Vault, VaultInternals>();

export function registerVaultInternals(vault: Vault, value: VaultInternals): void {
  internals.set(vault, value);
}

/** The internals of a vault made by `createVault`; throws `TV_INVALID_ARGUMENT` for anything else. */
export function vaultInternals(vault: unknown, caller: string): VaultInternals {
  const value = typeof vault === 'object' && vault !== null ? internals.get(vault as Vault) : undefined;
  if (!value) throw new VaultError('TV_INVALID_ARGUMENT', { why: 'notAVault', caller });
  return value;
}
