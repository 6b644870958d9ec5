export { createVault, type LogoutOptions, type Vault, type VaultOptions, type VaultStatus } from './createVault.js';
export type { UncontrolledPolicy } from './WorkerLink.js';
export { VaultError, errorCatalog, type ErrorCode, type ErrorBody, type Timeouts } from '@tokenvault/protocol';
