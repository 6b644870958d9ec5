// Internal to the Token Vault packages: not a public API, may change in any release.
export * from './errors.js';
export * from './rules.js';
export * from './version.js';
export * from './messages.js';
export * from './replies.js';
export * from './redact.js';
export * from './http.js';
export * from './config.js';
export * from './hostSession.js';
export { ProxyPort, type ProxyPortOptions, type ResultRequest } from './ProxyPort.js';
export * from './bodyChannel.js';
export { abortable } from './abortable.js';
export * from './OpEndpoints.js';
export * from './classifyOpRequest.js';
export * from './checkOpEndpoints.js';
export * from './secureOrigin.js';
