export { build, devRules, type DevHostOptions, type DevHostState } from './build.js';
export { originsFor, HOSTNAMES, OTHER_SITE_HOSTNAMES, type Origins, type OriginName, type OpSite } from './origins.js';
export { RequestLog, sha256, type LoggedRequest } from './requestLog.js';
export { USERS, DEMO_CLIENT_ID, apiAudience, type OpCorsProfile } from './origins/op.js';
export { EXAMPLE_NAMES, exampleSites, type ExampleName, type ExampleSite } from './examples.js';
export { ApiControls, BINARY_BODY, type ExternalTokenIssuer } from './origins/api.js';
export { OpControls } from './origins/op.js';
export { DpopVerifier, type NonceMode } from './dpopVerifier.js';
export { StreamGates } from './StreamGates.js';
