// @tokenvault/oidc: the OpenID Connect core both sides of the kit share. The app page's drop-in
// SessionMonitor (@tokenvault/client) and the proxy page's sealed sign-in and session watch
// (@tokenvault/proxy) are thin users of it. Discovery is @tokenvault/config's `discover`.
export { authorizationSecrets, authorizationUrl, type AuthorizationRequest, type AuthorizationSecrets } from './authorizationRequest.js';
export { readAuthorizationResponse, SESSION_STATE, type AuthorizationResponse, type AuthorizationResponseExpectations } from './authorizationResponse.js';
export { jwtPayload } from './jwtPayload.js';
export { idTokenClaims, type IdTokenClaims } from './idTokenClaims.js';
export { checkIdToken, type CheckedIdToken, type IdTokenExpectations } from './checkIdToken.js';
export type { CheckSessionAnswer } from './checkSessionAnswer.js';
export type { GrantState } from './whenSessionEnded.js';
export {
  SessionWatch,
  type SessionWatchState,
  type SessionWatchOptions,
  type SessionWatchTransport,
  type SessionWatchEvents,
  type SessionEndedDetail,
  type Renewal,
} from './SessionWatch.js';
export { hiddenFrame, attachFrame, loadFrame } from './hiddenFrame.js';
export { CheckSessionFrame } from './CheckSessionFrame.js';
export { silentAuthorize, type SilentAuthorizeOptions, type SilentAuthorizeResult } from './silentAuthorize.js';
export { startSessionWatch, type PageSessionWatchOptions } from './startSessionWatch.js';
