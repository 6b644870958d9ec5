// The drop-in mode's OP-call handlers, one chunk: the proxy frame loads it with import() at start
// in drop-in mode (the app's OIDC library calls the OP through the vault) and on first use in
// sealed mode, where the vault makes its own token requests (redeemCode) and the app seldom calls
// the OP.
export { introspectionRequest } from './introspectionRequest.js';
export { publicDocument } from './publicDocument.js';
export { revocationRequest } from './revocationRequest.js';
export { tokenRequest } from './tokenRequest.js';
