export { installInterceptor } from './installInterceptor.js';
export type { InterceptorConfig, ResourceRule, Timeouts } from '@tokenvault/config';
export { VaultError, type ErrorCode } from '@tokenvault/protocol';
