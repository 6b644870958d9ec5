// @tokenvault/config: what the kit may do. The configuration schema and its checks, the rules that
// say which requests get a credential, the OP endpoints the vault tells apart, and the origin checks.
export * from './config.js';
export * from './isScope.js';
export * from './sessionCheck.js';
export * from './redaction.js';
export * from './rules.js';
export * from './normalizeRule.js';
export * from './parseOrigin.js';
export * from './secureOrigin.js';
export * from './classifyOpRequest.js';
export * from './checkOpEndpoints.js';
export * from './opPassThrough.js';
export * from './discover.js';
export * from './builtConfig.js';
