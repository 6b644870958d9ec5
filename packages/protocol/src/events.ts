// The names of the events the proxy tells the pages unasked. A leaf of the protocol: the message
// types (messages.ts) and the reply guards (replies.ts) both use it.

/** What the proxy tells the pages unasked. */
export type VaultEventName = 'signed-in' | 'renewed' | 'signed-out' | 'error' | 'revocation-failed' | 'host-session' | 'session-unwatchable';
/** Every {@link VaultEventName}, for the guards. */
export const VAULT_EVENT_NAMES: readonly VaultEventName[] = ['signed-in', 'renewed', 'signed-out', 'error', 'revocation-failed', 'host-session', 'session-unwatchable'];
