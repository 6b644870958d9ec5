// The text of every Token Vault error, by message id (the `why` of its details): what a
// development build says. Production builds say the code and the details only, and drop this
// module: VaultError reads it only behind the production switch (`dev`, see dev.ts).
/** One value in an error's details: a name, a status, a limit. Never a credential. */
export type ErrorDetail = string | number;

type D<K extends string> = Readonly<Record<K, ErrorDetail>>;

/**
 * Every message template, by id. A template reads only the details it is given; never a credential.
 * Internal to the kit (the reference documents the codes, not each sentence); the tests read it to
 * check that no sentence ships in a production bundle.
 *
 * @internal
 *
 * @example
 * ```ts
 * errorMessages.tokenNotPost() // 'Token requests must be POST'
 * ```
 */
export const errorMessages = {
  // packages/proxy/src/signin/AuthorizationFlow.ts
  signInPrompt: () => 'prompt must be none, login, consent or select_account',
  signInLoginHint: () => 'loginHint must be 1-256 printable characters',
  signInScope: () => 'scope must be a space-separated scope that includes openid',
  returnToNotUrl: () => 'returnTo is not a URL',
  noAuthorizationEndpoint: () => `The OP's discovery document has no authorization_endpoint`,
  stateUnknown: () => 'The authorization response carries a state this proxy did not issue, or one already used',
  stateExpired: () => 'The sign-in took too long: its state expired',
  stateNotWindows: () => 'The sign-in window received an authorization response of another sign-in than its own',
  idTokenNotJwt: () => 'The ID token is not a JWT',
  opAnsweredError: (d: D<'error'>) => `The OP answered ${JSON.stringify(d.error)}`,
  // packages/proxy/src/tokens/HostSession.ts
  hostSessionAlreadySet: () => 'This proxy page already holds a host session ID; a second one is refused',
  hostSessionFromHostOnly: () => 'This vault takes the host session ID from the host page only (hostSession.handoff is "direct"), never from the app',
  // packages/proxy/src/network/InFlightLimit.ts
  queueTimeout: (d: D<'maxWaitMs' | 'max'>) => `The request waited ${d.maxWaitMs} ms (timeouts.queueMs) for one of ${d.max} upstream places (maxUpstreamRequests)`,
  // packages/proxy/src/signin/PopupSignIn.ts
  signInNeedsSealed: () => 'vault.signIn() needs mode: sealed',
  // packages/proxy/src/tokens/ResourceTokens.ts
  noRefreshTokenForApi: (d: D<'value'>) => `The vault holds no refresh token to get a token for ${d.value} with`,
  refreshInvalidGrant: () => 'The OP refused the refresh token (invalid_grant)',
  refreshStatus: (d: D<'status'>) => `The token endpoint answered ${d.status} to a refresh`,
  refreshNotJson: () => 'The refresh response is not JSON',
  // packages/proxy/src/signin/SealedSession.ts
  noCheckSessionIframe: () => 'The OP does not offer Session Management (no check_session_iframe in its discovery document)',
  // packages/proxy/src/signin/SignInTickets.ts
  signInNotStarted: (d: D<'reason'>) => `This sign-in was not started by the app's vault (${d.reason})`,
  // packages/proxy/src/tokens/TokenLifecycle.ts
  expiredNoRefreshToken: () => 'The access token expired and the vault holds no refresh token',
  refreshRefused: (d: D<'status'>) => `The OP refused the refresh (${d.status} invalid_grant)`,
  refreshRejected: (d: D<'status'>) => `The token endpoint answered ${d.status} to a refresh; the tokens are kept`,
  // packages/proxy/src/routing/VaultProxy.ts
  queryNotEndpoints: (d: D<'kind'>) => `The request's query is not the ${d.kind} endpoint's`,
  tokenNotPost: () => 'Token requests must be POST',
  userinfoMethod: () => 'UserInfo requests are GET or POST',
  unclassifiedOpPath: (d: D<'origin' | 'pathname'>) =>
    `${d.origin}${d.pathname} is on the OP's origin but is none of its endpoints; an API of the OP the page calls itself is declared in opPassThrough`,
  opPassThroughPath: (d: D<'origin' | 'pathname'>) => `${d.origin}${d.pathname} is declared in opPassThrough: the page sends it itself`,
  opEndpointNotPerformed: (d: D<'kind'>) => `The vault does not perform requests to the OP's ${d.kind} endpoint`,
  noRuleMatches: (d: D<'origin' | 'pathname'>) => `${d.origin}${d.pathname} matches none of the vault rules`,
  // packages/proxy/src/handlers/apiTokenRequest.ts
  refreshOneApi: () => 'A refresh grant through the vault may name one API, and only one its rules name (resource or audience)',
  tokenResponseNotJson: () => 'The token response is not JSON',
  // packages/proxy/src/door/listenForHost.ts
  hostSessionWrongSource: () => 'A host session ID is taken only from the page that embeds the app, at a configured host origin',
  hostSessionMalformed: () => 'Not a host-session message with a session ID of 1 to 4096 token68 characters',
  // packages/proxy/src/handlers/publicDocument.ts
  publicDocumentMethod: () => 'The OP discovery document and JWKS are read with GET',
  // packages/proxy/src/readConfig.ts and checkConfig.ts (the page's configuration, checked unless the build resolved it)
  noConfigBlock: () => 'The proxy page has no <script type="application/json" id="tokenvault-config"> block: build it with the Token Vault plugin or CLI',
  configBlockNotJson: () => 'The proxy configuration block is not valid JSON',
  ruleIsProxyOrigin: () => 'must not be the proxy origin: the vault would send the tokens to its own pages',
  // packages/proxy/src/handlers/readForm.ts
  tokenNotForm: () => 'Token requests must be application/x-www-form-urlencoded',
  tokenParamRepeated: (d: D<'name'>) => `The token request repeats the parameter ${d.name}`,
  // packages/proxy/src/handlers/redeemCode.ts
  codeResponseNotJson: (d: D<'status'>) => `The token endpoint answered ${d.status}, not JSON`,
  // packages/proxy/src/shared/required.ts
  missingValue: () => 'A value this code guarantees is missing',
  // packages/proxy/src/door/appPorts.ts
  connectOnePort: () => 'A connect message carries exactly one MessagePort, an ask-listening message none',
  // packages/proxy/src/tokens/toTokenSet.ts
  tokenResponseNotObject: () => 'The token response is not a JSON object',
  noAccessToken: () => 'The token response has no access_token',
  badExpiresIn: () => 'The token response has an invalid expires_in',
  // packages/proxy/src/handlers/tokenErrorResponse.ts
  revocationRefused: (d: D<'status'>) => `The OP answered ${d.status} without an OAuth error`,
  tokenErrorNotOAuth: (d: D<'status'>) => `The token endpoint answered ${d.status} without an OAuth error`,
  // packages/proxy/src/handlers/tokenParam.ts
  tokenParamNotPost: () => 'Revocation and introspection requests must be POST',
  tokenParamNotForm: () => 'Revocation and introspection requests must be application/x-www-form-urlencoded',
  paramRepeated: (d: D<'name'>) => `The parameter ${d.name} is repeated`,
  tokenTypeHint: () => 'token_type_hint must be access_token or refresh_token',
  tokenTypeHintOther: (d: D<'named'>) => `token_type_hint names another token than the placeholder (${d.named})`,
  clientIdOther: () => `client_id is not the vault's client`,
  // packages/proxy/src/handlers/tokenRequest.ts
  sealedCode: () => 'In sealed mode the vault redeems only the codes of its own sign-ins (vault.signIn())',
  sealedRefresh: () => 'In sealed mode the vault refreshes its tokens itself; the app sends no refresh grant',
  noRefreshToken: () => 'The vault holds no refresh token',
  grantType: (d: D<'grantType'>) => `The vault handles authorization_code and refresh_token grants, not ${JSON.stringify(d.grantType)}`,
  // packages/proxy/src/handlers/withoutRoutingOverrides.ts
  methodOverride: (d: D<'name'>) => `A ${d.name} field would override the method of a request whose rule allows only some methods`,
  // packages/client/src/ProxyFrame.ts
  proxyFrameTimeout: (d: D<'origin'>) => `The vault proxy at ${d.origin} did not load in time`,
  proxyFrameDetached: () => 'The vault proxy frame is not attached',
  // packages/client/src/WorkerLink.ts
  notControlledInTime: (d: D<'timeoutMs'>) => `The vault service worker did not take control of the page within ${d.timeoutMs} ms`,
  noServiceWorkers: () => 'This browser context has no service workers (private mode, or disabled)',
  workerNotRegistered: (d: D<'url'>) => `The vault service worker ${d.url} could not be registered`,
  notControlled: () => 'The vault service worker does not control this page',
  workerNoProxy: () => 'The vault service worker could not reach the proxy in time',
  // packages/client/src/receiveHostSession.ts
  receiveOptions: () => 'receiveHostSession(vault, options): options must be an object',
  receiveHostOrigin: () => 'receiveHostSession(vault, options): options.hostOrigin must be the exact origin of the host page, such as https://host.example.com',
  receiveTimeoutMs: () => 'receiveHostSession(vault, options): options.timeoutMs must be a whole number of milliseconds between 1 and 600000',
  receiveMaxLength: (d: D<'max'>) => `receiveHostSession(vault, options): options.maxLength must be a whole number between 1 and ${d.max}`,
  receiveOnIgnored: () => 'receiveHostSession(vault, options): options.onIgnored must be a function',
  receiveNotEmbedded: () => 'receiveHostSession: this page is not in a frame, so no host can hand it a session ID',
  // packages/client/src/serveHostSession.ts
  serveOptions: () => 'serveHostSession(options): options must be an object',
  serveFrame: () => 'serveHostSession(options): options.frame must be the <iframe> that embeds the app',
  serveProxyOrigin: () => "serveHostSession(options): options.proxyOrigin must be the exact origin of the app's vault proxy, such as https://proxy.example.com",
  serveAppOrigin: () => 'serveHostSession(options): options.appOrigin must be the exact origin of the embedded app, such as https://app.example.com',
  serveSameOrigin: () => 'serveHostSession(options): options.proxyOrigin must be the vault proxy, another origin than the app',
  serveSessionId: () => 'serveHostSession(options): options.sessionId must be a string or a function returning one',
  serveCallback: (d: D<'option'>) => `serveHostSession(options): options.${d.option} must be a function`,
  serveSessionIdFailed: () => 'serveHostSession: options.sessionId() failed',
  // packages/client/src/sessionMonitorOptions.ts
  monitorMs: (d: D<'option' | 'min'>) => `new SessionMonitor(options): options.${d.option} must be a whole number of milliseconds between ${d.min} and 3600000`,
  monitorOptions: () => 'new SessionMonitor(options): options must be an object',
  monitorVault: () => 'new SessionMonitor(options): options.vault must be the vault from createVault()',
  monitorIssuer: () => 'new SessionMonitor(options): options.issuer must be the OP issuer URL',
  monitorClientId: () => 'new SessionMonitor(options): options.clientId must be the OAuth client_id',
  monitorSessionState: () => 'new SessionMonitor(options): options.sessionState must be the session_state of the authorization response',
  monitorRedirectUri: () => 'new SessionMonitor(options): options.redirectUri must be a page on this origin that runs nothing, registered at the OP',
  monitorScope: () => 'new SessionMonitor(options): options.scope must be a scope string that includes openid',
  monitorIdToken: () => 'new SessionMonitor(options): options.idToken must be the ID token of the sign-in',
  // packages/client/src/createVault.ts
  noTicket: () => 'The proxy answered a redirect sign-in without a ticket',
  noFlow: () => 'The proxy answered a popup sign-in without a flow id',
  popupBlocked: () => 'The browser blocked the sign-in window: call signIn() from a click handler',
  popupClosed: () => 'The sign-in window was closed',
  superseded: () => 'A newer signIn() of this page took over the sign-in window',
  vaultClosed: () => 'vault.close() was called while the sign-in waited: its window is closed',
  createVaultOptions: () => 'createVault(options): options must be an object',
  proxyUrl: () => 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page',
  proxyUrlSameOrigin: () => 'createVault(options): the proxy must be on another origin than the app, or the app could read the tokens',
  logoutOptions: () => 'logout(options): options must be an object',
  postLogoutRedirectUri: () => 'logout(options): postLogoutRedirectUri must be an absolute URL',
  // packages/client/src/signIn.ts
  signInOption: (d: D<'option' | 'fix'>) =>
    `signIn(options): options.${d.option} ${
      {
        unknown: 'is not a known option',
        returnTo: 'must be a path or URL of an app origin',
        prompt: 'must be none, login, consent or select_account',
        loginHint: 'must be 1-256 printable characters',
        scope: 'must be a space-separated scope that includes openid',
        flow: "must be 'auto', 'redirect' or 'popup'",
        timeoutMs: 'must be an integer from 1000 to 600000',
      }[d.fix] ?? ''
    }`,
  signInOptions: () => 'signIn(options): options must be an object',
  // packages/client/src/SessionMonitor.ts
  monitorStartedTwice: () => 'SessionMonitor.start() can be called once',
  grantCheckStatus: (d: D<'status'>) => `The OP did not answer the refresh that checks the grant (${d.status})`,
  // packages/client/src/providerMetadata.ts
  discoveryUnusable: (d: D<'issuer' | 'reason'>) => `The OP's discovery document at ${d.issuer} could not be used${d.reason}`,
  // packages/client/src/vaultInternals.ts
  notAVault: (d: D<'caller'>) => `${d.caller}: the first argument must be a vault made by createVault()`,
  // packages/config/src/checkOpEndpoints.ts
  passThroughCoversEndpoint: (d: D<'kind' | 'origin' | 'pathname'>) =>
    `must not cover the OP's ${d.kind} endpoint (${d.origin}${d.pathname}): the vault handles OP endpoints itself`,
  opOriginMissing: (d: D<'origin' | 'kind'>) => `must list ${d.origin}: the OP's discovery document serves its ${d.kind} endpoint there`,
  // packages/config/src/config.ts
  unknownTimeout: (d: D<'known'>) => `is not a known time limit (known: ${d.known})`,
  notObject: () => 'must be an object',
  issuerNotUrl: (d: D<'value'>) => `must be an absolute URL such as https://op.example.com (got ${JSON.stringify(d.value)})`,
  issuerShape: () => 'must be an http(s) URL without query, fragment or credentials',
  issuerNotHttps: (d: D<'origin'>) => `must be https (plain http works only on localhost names); got ${d.origin}`,
  timeoutMs: () => 'must be a whole number of milliseconds between 1 and 600000',
  hostSessionKey: () => 'is not known (known: header, prefix, handoff)',
  handoff: () => `must be 'direct' (the host hands the ID to the proxy) or 'app-window' (compatibility: the host posts it to the app's window)`,
  headerName: () => 'must be an HTTP header name',
  headerForbidden: (d: D<'header'>) => `must be a header a browser lets a page set (not ${d.header})`,
  headerPrefix: () => 'must be at most 64 printable ASCII characters',
  opOrigins: () => 'must be a list of origins where the OP serves endpoints, such as https://oauth2.googleapis.com',
  rulesList: () => 'must be a list of rules ({ origin, pathPrefix, methods?, credential? })',
  ruleIsAppOrigin: (d: D<'origin'>) => `must not be an app origin (${d.origin}): the app's own requests would carry a credential it could read`,
  ruleCoversIssuer: (d: D<'issuer'>) => `must not cover the OP's issuer path (${d.issuer}): its token and other endpoints live below it`,
  apiSpelledTwice: (d: D<'value' | 'param'>) => `names ${d.value}, which another rule names as ${d.param}: use one spelling`,
  apiScopeTwice: (d: D<'value'>) => `asks ${d.value}'s token with another scope than an earlier rule of that API: one API, one scope`,
  appOrigins: () => 'must list at least one origin',
  clientId: () => 'must be the OAuth client_id the app signs in with',
  fieldList: () => 'must be a list of token response field names',
  redactTokens: () => 'must include access_token and refresh_token',
  placeholder: () => `must be 'REDACTED' (the default) or 'jwt' (a JWT-shaped placeholder, for client libraries that decode the tokens)`,
  keepCredential: (d: D<'credential'>) => `must not list ${d.credential}: it is a credential, which the app never gets`,
  refreshSkew: () => 'must be a whole number of seconds between 0 and 3600',
  maxUpstream: () => 'must be a whole number between 1 and 1024',
  mode: () => `must be 'sealed' (the vault is the OAuth client) or 'drop-in' (a client library in the app is)`,
  sessionWatch: () => `must be 'auto' (watch the OP session where the browser lets the vault) or 'off'`,
  sessionCheckKey: (d: D<'known'>) => `is not a known session check time (known: ${d.known})`,
  sessionCheckMs: (d: D<'min' | 'max'>) => `must be a whole number of milliseconds between ${d.min} and ${d.max}`,
  sessionCheckDropIn: () => `is sealed mode's: in drop-in mode the app's SessionMonitor checks the session (new SessionMonitor({ intervalMs, timeoutMs }))`,
  scope: () => 'must be a space-separated scope that includes openid',
  hostOrigins: () => 'must be a list of origins of pages that embed the app',
  hostIsAppOrigin: (d: D<'origin'>) => `must not be an app origin (${d.origin}): a host is another page than the app`,
  // packages/config/src/discover.ts
  discoveryField: (d: D<'name'>) => `The OP's discovery document has no valid ${d.name}`,
  discoveryUrl: (d: D<'name'>) => `The OP's discovery document has no valid ${d.name} (an http(s) URL without credentials or fragment)`,
  discoveryIssuer: () => `The OP's discovery document has no valid issuer`,
  discoveryUnreachable: (d: D<'issuer'>) => `The OP's discovery document at ${d.issuer} cannot be reached`,
  discoveryStatus: (d: D<'status'>) => `The OP's discovery document answered ${d.status}`,
  discoveryNotJson: () => `The OP's discovery document is not JSON`,
  discoveryNotObject: () => `The OP's discovery document is not a JSON object`,
  // packages/config/src/rules.ts
  unknownRuleField: (d: D<'known'>) => `is not a known rule field (known: ${d.known})`,
  credential: (d: D<'known'>) => `must be one of ${d.known}`,
  ruleCoversEndpoint: (d: D<'kind' | 'origin' | 'pathname'>) =>
    `must not cover the OP's ${d.kind} endpoint (${d.origin}${d.pathname}): the vault handles it itself${d.kind === 'userinfo' ? ', and only with the access token' : ''}`,
  // packages/config/src/opPassThrough.ts
  passThroughList: () => 'must be a list of URL prefixes on the OP, such as https://am.example.com/am/json/',
  passThroughUrl: () => 'must be an absolute URL prefix such as https://am.example.com/am/json/',
  passThroughShape: () => 'must have no query, fragment or credentials',
  passThroughAmbiguous: () => 'must not contain dot segments, backslashes, encoded slashes or dots, ";", or double or %u encoding',
  passThroughOrigin: (d: D<'origins'>) => `must be on the OP's origin (${d.origins}): other origins are not the vault's to refuse`,
  passThroughRoot: () => "must name a path below the root: the whole origin would pass the OP's endpoints",
  passThroughWellKnown: () => "must not cover the OP's /.well-known/ documents",
  passThroughOverlap: (d: D<'rule'>) => `must not overlap rules[${d.rule}]: a declared pass-through path gets no credential`,
  urlNotAbsolute: () => 'The request URL is not an absolute URL',
  urlNotHierarchical: () => 'The request URL is not a hierarchical URL',
  urlScheme: () => 'Only http and https URLs are allowed',
  urlCredentials: () => 'URLs with credentials (user@host) are refused',
  urlAmbiguous: () => 'URLs with dot segments, backslashes, encoded slashes, ";" parameters, double or %u encoding or bytes that are not UTF-8 are refused',
  resourceAndAudience: () => 'must not be given together with resource: one names the API',
  onlyAccessToken: () => `is only for rules with credential 'access_token'`,
  apiIdentifier: () => 'must be a non-empty identifier of at most 1024 printable characters without spaces',
  resourceUri: (d: D<'value'>) => `must be an absolute URI without a fragment, such as https://api.example.com/ (RFC 8707 §2; got ${JSON.stringify(d.value)})`,
  ruleScope: (d: D<'value'>) => `must be scope tokens separated by single spaces (RFC 6749 §3.3), such as api://my-api/.default (got ${JSON.stringify(d.value)})`,
  pathPrefix: () => 'must be a path starting with a single "/"',
  pathPrefixAmbiguous: () => 'must not contain dot segments, backslashes, encoded slashes or dots, ";", double or %u encoding, "?" or "#"',
  methods: () => 'must be a non-empty list of upper-case HTTP methods',
  boolean: () => 'must be true or false',
  originNotUrl: (d: D<'value'>) => `must be an origin such as https://api.example.com (got ${JSON.stringify(d.value)})`,
  originShape: (d: D<'value'>) => `must be an origin such as https://api.example.com, without path, query or credentials (got ${JSON.stringify(d.value)})`,
  // packages/config/src/secureOrigin.ts
  originNotHttps: (d: D<'origin'>) => `must be https (plain http works only on localhost names, which browsers treat as secure contexts); got ${d.origin}`,
  // packages/interceptor/src/ClientChannels.ts
  noPageConnected: () => 'No page is connected to the vault proxy',
  connectTimeout: () => 'The page did not connect the service worker to the vault proxy in time',
  // packages/interceptor/src/installInterceptor.ts
  passThroughFailed: (d: D<'origin'>) =>
    `The browser refused the app's own request to ${d.origin} (its CORS policy does not admit the app origin, or the network failed); the vault passed it on unchanged`,
  // packages/oidc/src/SessionWatch.ts
  watchStartsOnce: () => 'A session watch starts once',
  promptNoneError: (d: D<'error'>) => `The OP answered the prompt=none request with ${JSON.stringify(d.error)}`,
  noSessionState: () => 'The prompt=none answer lacks a session_state',
  // packages/oidc/src/authorizationResponse.ts
  otherIssuer: () => 'The authorization response names another issuer',
  issMissing: () => 'The OP advertises iss in its authorization responses, and this one has none',
  otherState: () => 'The authorization response carries another state',
  noCode: () => 'The authorization response has no code',
  // packages/oidc/src/checkIdToken.ts
  idTokenClaim: (d: D<'claim'>) => `The ID token's ${d.claim} is not the one expected`,
  // packages/oidc/src/idTokenClaims.ts
  idTokenClaims: () => 'The ID token lacks iss, sub or aud, or a claim has the wrong type',
  // packages/protocol/src/FetchPort.ts, ProxyPort.ts
  proxyTimeout: () => 'The vault proxy did not answer in time',
  notResponse: (d: D<'type'>) => `Expected a response, got ${d.type}`,
  notResult: (d: D<'type'>) => `Expected a result, got ${d.type}`,
  channelClosed: () => 'The channel to the vault proxy was closed',
  channelIsClosed: () => 'The channel to the vault proxy is closed',
  notSent: () => 'The request could not be sent to the vault proxy',
  // packages/protocol/src/body.ts
  bodyBrokeOff: () => 'The upstream response body broke off',
  // packages/protocol/src/bodyChannel.ts
  windowChunks: (d: D<'max'>) => `receiveBody: windowChunks must be an integer from 1 to ${d.max}`,
  badChunk: () => 'A body chunk could not be received',
  tooManyChunks: () => 'The body channel sent more chunks than it was granted',
  // packages/protocol/src/hostSession.ts
  hostMessageTooLong: (d: D<'maxChars'>) => `The host message is longer than ${d.maxChars} characters`,
  hostMessageNotJson: () => 'The host message is a string but not JSON',
  notSessionIdMessage: () => 'Not a session_id message with a session ID of token68 characters',
  sessionIdTooLong: (d: D<'maxLength'>) => `The session ID is longer than ${d.maxLength} characters`,
  hostSessionId: (d: D<'max'>) => `A host session ID is 1 to ${d.max} token68 characters (A-Z a-z 0-9 - . _ ~ + / and trailing =)`,
  // packages/protocol/src/version.ts
  notAMessage: () => 'Malformed message: expected an object with "v" and "type"',
  // packages/client/src/createVault.ts (the popup)
  popupTimeout: (d: D<'ms'>) => `No sign-in result within ${d.ms} ms`,
  // packages/config/src/discover.ts
  discoveryOtherIssuer: (d: D<'named' | 'issuer'>) => `The OP's discovery document names issuer ${JSON.stringify(d.named)}, not the configured ${d.issuer}`,
  // packages/interceptor/src/installInterceptor.ts
  unclassifiedOpRequest: (d: D<'origin' | 'pathname'>) =>
    `${d.origin}${d.pathname} is on the OP's origin but is none of its endpoints, so the vault refused it. ` +
    `If it is an API of the OP that the page calls itself (an SDK's session or journey API), declare its path in opPassThrough ` +
    `(for example "${d.origin}${d.pathname}"): it then goes from the page as the page made it, with no credential`,
  // packages/protocol: the message checks
  malformedType: (d: D<'type'>) => `Malformed ${JSON.stringify(d.type)} message`,
  malformedAt: (d: D<'path' | 'expected'>) => `Malformed message at "${d.path}": expected ${d.expected}`,
  versionMismatch: (d: D<'received' | 'expected'>) => `Protocol version ${JSON.stringify(d.received)} received, ${d.expected} expected`,
  // packages/proxy: token requests, redemption, upstream
  refreshPlaceholder: (d: D<'shape'>) =>
    `A refresh grant through the vault must send refresh_token=${d.shape === 'REDACTED' ? 'REDACTED' : "<the refresh token's placeholder from the vault's last token response>"}`,
  tokenPlaceholder: (d: D<'shape'>) =>
    `Send token=${d.shape === 'REDACTED' ? 'REDACTED with a token_type_hint' : "<the token's placeholder from the vault's token response>"}: the vault puts the stored token in`,
  codeRefused: (d: D<'status' | 'error'>) => `The token endpoint refused the code (${d.status} ${d.error})`,
  returnToOrigin: (d: D<'origins'>) => `returnTo must be a page of ${d.origins}`,
  noApiToken: (d: D<'api' | 'status' | 'error'>) => `The OP issued no token for ${d.api} (${d.status} ${d.error})`,
  tokenType: (d: D<'allowed'>) => `The token response has no token_type ${d.allowed}`,
  upstreamTimeout: (d: D<'origin' | 'ms'>) => `${d.origin} did not answer within ${d.ms} ms`,
  upstreamUnreachable: (d: D<'origin'>) => `${d.origin} cannot be reached (network error, or its CORS policy does not allow the proxy origin)`,
  upstreamRedirect: (d: D<'origin'>) => `${d.origin} answered a redirect; the vault does not follow redirects with a credential`,
  // packages/oidc: the session watch and the check_session_iframe
  changedAfterRecheck: () => 'The OP reports a change right after a successful re-check',
  checkSessionError: () => 'The check_session_iframe answered "error": it does not know this client, origin or session_state',
  checkSessionTimeout: (d: D<'ms'>) => `The check_session_iframe did not answer within ${d.ms} ms`,
  checkSessionLoad: (d: D<'ms'>) => `The OP's check_session_iframe did not load within ${d.ms} ms`,
  silentTimeout: (d: D<'ms'>) => `The OP did not answer the prompt=none request within ${d.ms} ms`,
  checkSessionGone: () => 'The check_session_iframe is gone',
  silentStopped: () => 'The session check was stopped',
  silentOtherState: () => 'The prompt=none answer carries another state',
} as const;
