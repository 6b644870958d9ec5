export { createVault, type LogoutOptions, type LogoutResult, type Vault, type VaultEventMap, type VaultOptions, type VaultStatus } from './createVault.js';
export type { SignInOptions } from './signIn.js';
export type { UncontrolledPolicy } from './WorkerLink.js';
export {
  SessionMonitor,
  type SessionMonitorOptions,
  type SessionMonitorState,
  type SessionMonitorEventMap,
  type SignedOutDetail,
  type RenewedDetail,
  type SessionErrorDetail,
  type UnwatchableDetail,
} from './SessionMonitor.js';
export { receiveHostSession, type ReceiveHostSessionOptions, type IgnoredHostMessage } from './receiveHostSession.js';
export { serveHostSession, type ServeHostSessionOptions, type HostSessionServer, type IgnoredAppMessage } from './serveHostSession.js';
export type { SessionUnwatchableReason } from '@tokenvault/protocol';
export { VaultError, errorCatalog, type ErrorCode, type ErrorBody, type RevocationOutcome, type RevocationAnswer, type ApiTokenStatus } from '@tokenvault/protocol';
export type { Timeouts, HostSessionHeader } from '@tokenvault/config';
