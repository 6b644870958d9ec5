// @tokenvault/protocol: how the kit's parts talk. The messages between app page, worker and proxy
// frame and their checks, the protocol version, the error catalog (VaultError), the port that
// carries requests to the proxy, and how a body crosses between realms.
export { dev } from './dev.js';
export * from './errors.js';
export { errorMessages, type ErrorDetail } from './errorMessages.js';
export * from './base64url.js';
export * from './version.js';
export * from './events.js';
export * from './messages.js';
export * from './connect.js';
export { checkMessage, isFlowId, isShortText, type Checks } from './check.js';
export * from './replies.js';
export * from './body.js';
export * from './decodeBody.js';
export * from './hostSession.js';
export { FetchPort, type ProxyPortOptions } from './FetchPort.js';
export { ProxyPort, type ResultRequest } from './ProxyPort.js';
export * from './bodyChannel.js';
export * from './OpEndpoints.js';
