export { installInterceptor } from './installInterceptor.js';
export type { InterceptorConfig, ResourceRule, Timeouts } from '@tokenvault/protocol';
export { VaultError, type ErrorCode } from '@tokenvault/protocol';
