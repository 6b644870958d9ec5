import { dev, invalidConfig, type HostSessionHandoff, type ErrorDetails } from '@tokenvault/protocol';
import { CREDENTIAL_FIELDS, DEFAULT_REDACTED_FIELDS } from './redaction.js';
import { baseCovers } from './checkOpEndpoints.js';
import { routeOrigin, routePath, type PassThroughPath } from './classifyOpRequest.js';
import { resolvePassThrough } from './opPassThrough.js';
import { normalizeRule } from './normalizeRule.js';
import type { NormalizedRule, ResourceIndicator, ResourceRule, RoutingRule } from './rules.js';
import { isLoopbackHost, secureOrigin } from './secureOrigin.js';
import { isScope } from './isScope.js';
import { DEFAULT_SESSION_CHECK, isSessionCheckMs, SESSION_CHECK_MAX_MS, SESSION_CHECK_MIN_MS, type SessionCheck } from './sessionCheck.js';

/** Time limits, in milliseconds. Every request ends within them, with an answer or a typed error. */
export interface Timeouts {
  /** Waiting for the proxy iframe to load and say hello. Default 10 000. */
  proxyMs?: number;
  /** Waiting for an upstream server (token endpoint or API) to answer with a response head. Default 30 000. */
  upstreamMs?: number;
  /**
   * The proxy's: how long a request of the app may wait in its queue while `maxUpstreamRequests` are
   * at the network; then it is answered `TV_QUEUE_TIMEOUT`, never sent. Pages learn it from the
   * proxy with each queued request. Default 120 000.
   */
  queueMs?: number;
}

/**
 * Who is the OAuth client. `'sealed'`: the vault is: the proxy origin builds the authorization
 * request, receives the code on its own redirect URI and redeems it, so no code ever reaches the
 * app origin. `'drop-in'`: an OIDC client library in the app is, its code arrives at the app origin
 * and its token request is routed through the vault.
 */
export type SignInMode = 'sealed' | 'drop-in';

/**
 * What stands in for the access and the refresh token in the token responses the app gets.
 * `'REDACTED'`: the text `REDACTED`. `'jwt'`, for client libraries that decode the tokens
 * (keycloak-js): a JWT-shaped placeholder, which never verifies anywhere. For a JWT, its own header
 * and claims with the signature replaced by the vault's marker; for an opaque token, a header
 * `{"alg":"none","typ":"JWT"}`, the claims such clients read (`iss`, `sub`, `azp`, `scope`, `sid`,
 * `iat`, `exp`) and the marker.
 */
export type PlaceholderShape = 'REDACTED' | 'jwt';

/** The proxy's built-in configuration. Nothing the app sends at run time can change it. */
export interface ProxyConfig {
  /** Default `'sealed'`. See {@link SignInMode}. */
  mode?: SignInMode;
  /** Sealed mode: the scope of a sign-in when the app names none. Must include `openid`. Default `openid`. */
  scope?: string;
  /** Origins allowed to embed the proxy and talk to it. */
  appOrigins: readonly string[];
  /**
   * Host pages (other sites) that embed the app and may hand the proxy a session ID. The proxy takes
   * one only from its frame's grandparent window (`window.parent.parent`, the page that embeds the
   * app) at one of these origins. Default none.
   */
  hostOrigins?: readonly string[];
  /** The OpenID Provider's issuer identifier; endpoints come from its discovery document. */
  issuer: string;
  /**
   * Origins besides the issuer's where the OP serves endpoints the vault handles (its discovery
   * document's token, revocation, introspection, userinfo, PAR or device endpoint), such as
   * `https://oauth2.googleapis.com` for the issuer `https://accounts.google.com`. The worker routes
   * them and the proxy page may fetch from them; the proxy refuses to start when discovery names an
   * endpoint on an origin that is neither the issuer's nor listed here. Default none.
   */
  opOrigins?: readonly string[];
  /**
   * URL prefixes on the OP's origins that are not OAuth endpoints but APIs the page calls itself
   * (an SDK's session and journey APIs, such as ForgeRock AM's `https://am.example.com/am/json/`).
   * Requests there other than GET and HEAD leave the page as the page made them, with no credential
   * from the vault; every other such request to an OP origin is refused
   * (`TV_UNCLASSIFIED_OP_REQUEST`). An entry may not cover the issuer's path, a `/.well-known/`
   * document, a rule, or (checked at proxy start) any endpoint in the discovery document. Default none.
   */
  opPassThrough?: readonly string[];
  /** The OAuth client the app signs in with (used for revocation). */
  clientId: string;
  /** Which requests get which credential. */
  rules: readonly ResourceRule[];
  /** Token response fields the app sees as "REDACTED". Default access_token, refresh_token. */
  redact?: readonly string[];
  /** The shape of the access and refresh token placeholders. Default `'REDACTED'`. See {@link PlaceholderShape}. */
  placeholder?: PlaceholderShape;
  /**
   * Token response fields the app gets as they are, besides token_type, expires_in, scope, id_token
   * and issued_token_type; only plain values (string, number, boolean) pass. Every other field is
   * left out. Credentials (device_secret, …) cannot be listed. Default none.
   */
  keep?: readonly string[];
  /** Refresh this many seconds before the access token expires. Default 30. */
  refreshSkewSeconds?: number;
  /** Time limits; see {@link DEFAULT_TIMEOUTS}. */
  timeouts?: Timeouts;
  /**
   * How many of the app's requests one proxy frame has at the network at once (its protected
   * requests and its OP calls: token, revocation, introspection, userinfo, discovery, JWKS); the
   * rest wait their turn, in order. A browser caps a renderer's outstanding requests (Chromium
   * answers more with `net::ERR_INSUFFICIENT_RESOURCES`), and the app's frame and the proxy frame
   * of one site share one: queued here, every request gets its real answer. The vault's own calls
   * to the OP (refresh, code redemption, logout's revocations) are not counted. Default 64 (1 to 1024).
   */
  maxUpstreamRequests?: number;
  /** How the host session ID comes in and goes out on rules with `credential: 'host_session'`. Default `Authorization: <id>`, handed to the proxy directly. */
  hostSession?: HostSessionConfig;
  /**
   * Sealed mode: whether the proxy watches the OP session (OpenID Connect Session Management).
   * `'auto'` (default): where the OP has a `check_session_iframe`, and until the watch finds it
   * cannot see the OP's cookies (`session-unwatchable`). `'off'`: never; a sign-out at the OP is
   * then learned when the OP refuses a refresh, which the vault makes as the access token expires.
   */
  sessionWatch?: SessionWatch;
  /**
   * Sealed mode: how often the proxy's session watch asks the OP's `check_session_iframe`
   * (`intervalMs`, default 3000, 200 to 3 600 000) and how long it waits for the check frame and a
   * `prompt=none` re-check (`timeoutMs`, default 10 000, 1 to 3 600 000): the options of drop-in
   * mode's `SessionMonitor`, with its defaults and limits. A longer interval asks an OP that
   * rate-limits the check less often; a shorter one learns of a sign-out at the OP sooner. Refused
   * in drop-in mode, where the app's `SessionMonitor` takes them.
   *
   * @example
   * ```ts
   * sessionCheck: { intervalMs: 10_000 }
   * ```
   */
  sessionCheck?: SessionCheck;
}

/** See {@link ProxyConfig.sessionWatch}. */
export type SessionWatch = 'auto' | 'off';

/** The host session: how it is handed over, and the header it goes into. */
export interface HostSessionConfig extends HostSessionHeader {
  /** Default `'direct'`. */
  handoff?: HostSessionHandoff;
}

/** Where the proxy puts the host session ID: `<header>: <prefix><id>`. */
export interface HostSessionHeader {
  /** The request header. Default `Authorization`. */
  header?: string;
  /** Text before the ID, for example `'Session '`. Default none. */
  prefix?: string;
}

/** ProxyConfig after validation, with defaults applied. */
export interface ResolvedProxyConfig {
  /** The sign-in mode. */
  readonly mode: SignInMode;
  /** The scope of sign-ins. */
  readonly scope: string;
  /** The app origins that may embed the proxy, canonical. */
  readonly appOrigins: readonly string[];
  /** The host origins that may hand over a session ID, canonical. */
  readonly hostOrigins: readonly string[];
  /** The issuer identifier, without a trailing slash. */
  readonly issuer: string;
  /** The issuer's origin and every configured `opOrigins` entry, canonical, once each. */
  readonly opOrigins: readonly string[];
  /** The declared pass-through paths on the OP's origins. */
  readonly opPassThrough: readonly PassThroughPath[];
  /** The OAuth client ID. */
  readonly clientId: string;
  /** The resource rules, normalized. */
  readonly rules: readonly NormalizedRule[];
  /** The APIs the rules name (`resource` / `audience`), once each, in rule order: each gets a token of its own. */
  readonly resources: readonly ResourceIndicator[];
  /** The token response fields the app sees as `"REDACTED"`. */
  readonly redact: readonly string[];
  /** The shape of the access and refresh token placeholders. */
  readonly placeholder: PlaceholderShape;
  /** The extra token response fields the app sees as they are. */
  readonly keep: readonly string[];
  /** How long before expiry a token is renewed. */
  readonly refreshSkewSeconds: number;
  /** The time limits, with the defaults filled in. */
  readonly timeouts: Required<Timeouts>;
  /** How many of the app's requests (protected requests and OP calls) are at the network at once (the rest are queued). */
  readonly maxUpstreamRequests: number;
  /** The header name in lower case, the prefix, and the handoff. */
  readonly hostSession: Readonly<Required<HostSessionConfig>>;
  /** Whether the proxy watches the OP session (sealed mode). */
  readonly sessionWatch: SessionWatch;
  /** How often the session watch asks the OP and how long it waits (sealed mode), defaults filled in. */
  readonly sessionCheck: Readonly<Required<SessionCheck>>;
}

/** The interceptor's configuration: only what it needs to route requests. */
export interface InterceptorConfig {
  /** The issuer; requests other than GET and HEAD to its origin are classified with the proxy's endpoints. */
  issuer: string;
  /** The OP's other endpoint origins (`ProxyConfig.opOrigins`), routed like the issuer's. */
  opOrigins?: readonly string[];
  /** The declared pass-through URL prefixes on the OP's origins (`ProxyConfig.opPassThrough`). */
  opPassThrough?: readonly string[];
  /** The requests to route to the proxy. The proxy applies its own rules again. */
  rules: readonly ResourceRule[];
  /** Time limits; see {@link DEFAULT_TIMEOUTS}. */
  timeouts?: Timeouts;
}

/** The interceptor's configuration as {@link resolveInterceptorConfig} checked and completed it. */
export interface ResolvedInterceptorConfig {
  /** The issuer's origin. */
  readonly issuerOrigin: string;
  /** The issuer's origin and every configured `opOrigins` entry, canonical, once each. */
  readonly opOrigins: readonly string[];
  /** The declared pass-through paths on the OP's origins. */
  readonly opPassThrough: readonly PassThroughPath[];
  /** The resource rules, normalized: what the worker routes by (development builds return whole {@link NormalizedRule}s). */
  readonly rules: readonly RoutingRule[];
  /** The time limits, with the defaults filled in. */
  readonly timeouts: Required<Timeouts>;
}

/** The time limits where the configuration sets none: 10 s for the proxy to answer, 30 s for an upstream head, 120 s in the proxy's queue. */
export const DEFAULT_TIMEOUTS: Required<Timeouts> = { proxyMs: 10_000, upstreamMs: 30_000, queueMs: 120_000 };

function fail(field: string, details: ErrorDetails): never {
  throw invalidConfig(field, details);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, { why: 'notObject' });
  return value as Record<string, unknown>;
}

function issuerUrl(value: unknown, field: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    fail(field, { why: 'issuerNotUrl', value: String(value) });
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    fail(field, { why: 'issuerShape' });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    fail(field, { why: 'issuerNotHttps', origin: url.origin });
  }
  return value.replace(/\/$/, '');
}

function timeouts(value: unknown, field: string): Required<Timeouts> {
  if (value === undefined) return { ...DEFAULT_TIMEOUTS };
  const input = object(value, field);
  const out = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_TIMEOUTS)) fail(`${field}.${key}`, { why: 'unknownTimeout', known: Object.keys(DEFAULT_TIMEOUTS).join(', ') });
    const ms = input[key];
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > 600_000) fail(`${field}.${key}`, { why: 'timeoutMs' });
    out[key as keyof Timeouts] = ms;
  }
  return out;
}

function sessionCheck(value: unknown, field: string, mode: SignInMode): Required<SessionCheck> {
  if (value === undefined) return { ...DEFAULT_SESSION_CHECK };
  // Drop-in mode's check is the app's SessionMonitor: the proxy runs none, and would ignore these.
  if (mode !== 'sealed') fail(field, { why: 'sessionCheckDropIn' });
  const input = object(value, field);
  const out = { ...DEFAULT_SESSION_CHECK };
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_SESSION_CHECK)) fail(`${field}.${key}`, { why: 'sessionCheckKey', known: Object.keys(DEFAULT_SESSION_CHECK).join(', ') });
    const name = key as keyof SessionCheck;
    const ms = input[name];
    if (!isSessionCheckMs(name, ms)) fail(`${field}.${name}`, { why: 'sessionCheckMs', min: SESSION_CHECK_MIN_MS[name], max: SESSION_CHECK_MAX_MS });
    out[name] = ms;
  }
  return out;
}

// Headers a page's fetch may not set (Fetch "forbidden request-header"): the browser would drop
// them silently, so a configuration naming one is refused instead.
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

function hostSession(value: unknown, field: string): Required<HostSessionConfig> {
  if (value === undefined) return { header: 'authorization', prefix: '', handoff: 'direct' };
  const input = object(value, field);
  for (const key of Object.keys(input)) if (key !== 'header' && key !== 'prefix' && key !== 'handoff') fail(`${field}.${key}`, { why: 'hostSessionKey' });
  const handoff = input.handoff ?? 'direct';
  if (handoff !== 'direct' && handoff !== 'app-window') fail(`${field}.handoff`, { why: 'handoff' });
  const header = input.header ?? 'Authorization';
  if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,64}$/.test(header)) fail(`${field}.header`, { why: 'headerName' });
  const name = header.toLowerCase();
  if (FORBIDDEN_HEADERS.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) fail(`${field}.header`, { why: 'headerForbidden', header });
  const prefix = input.prefix ?? '';
  if (typeof prefix !== 'string' || !/^[\x20-\x7e]{0,64}$/.test(prefix)) fail(`${field}.prefix`, { why: 'headerPrefix' });
  return { header: name, prefix, handoff };
}

/** The issuer's origin and the configured `opOrigins`, canonical, once each. */
function opOriginList(issuer: string, value: unknown, field: string): string[] {
  if (value === undefined) return [new URL(issuer).origin];
  if (!Array.isArray(value)) fail(field, { why: 'opOrigins' });
  return [...new Set([new URL(issuer).origin, ...value.map((origin, index) => secureOrigin(origin, `${field}[${index}]`))])];
}

/** A list of token response field names: non-empty strings. */
function isFieldList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((f) => typeof f === 'string' && f !== '');
}

function rules(value: unknown, field: string): NormalizedRule[] {
  if (!Array.isArray(value)) fail(field, { why: 'rulesList' });
  return value.map((rule, index) => {
    const normalized = normalizeRule(rule, `${field}[${index}]`);
    secureOrigin(normalized.origin, `${field}[${index}].origin`);
    return normalized;
  });
}

/**
 * Rules checked against the rest of the configuration, before any discovery: none on an app origin
 * (the page's own requests would get a credential it could then read), none covering the OP's
 * issuer path on an OP origin (its endpoints live below it: a rule there would take token requests
 * for API calls). The proxy checks them against the discovered endpoints again (checkOpEndpoints).
 */
function checkRules(list: readonly NormalizedRule[], appOrigins: readonly string[], issuer: string): void {
  const issuerUrl = new URL(issuer);
  list.forEach((rule, index) => {
    if (appOrigins.includes(rule.origin)) {
      fail(`rules[${index}].origin`, { why: 'ruleIsAppOrigin', origin: rule.origin });
    }
    if (rule.origin === issuerUrl.origin && baseCovers(rule.base, issuerUrl.pathname)) {
      fail(`rules[${index}]`, { why: 'ruleCoversIssuer', issuer });
    }
  });
}

/**
 * The APIs the rules name, once each. One API named with both spellings (`resource` in one rule,
 * `audience` in another) is refused: the vault would not know which parameter the OP takes; so is
 * one API asked with two scopes (its one token slot would hold either).
 */
function resourceList(list: readonly NormalizedRule[]): ResourceIndicator[] {
  const byValue = new Map<string, ResourceIndicator>();
  list.forEach((rule, index) => {
    if (!rule.resource) return;
    const seen = byValue.get(rule.resource.value);
    if (seen && seen.param !== rule.resource.param) fail(`rules[${index}].${rule.resource.param}`, { why: 'apiSpelledTwice', value: rule.resource.value, param: seen.param });
    if (seen && seen.scope !== rule.resource.scope) fail(`rules[${index}].scope`, { why: 'apiScopeTwice', value: rule.resource.value });
    if (!seen) byValue.set(rule.resource.value, rule.resource);
  });
  return [...byValue.values()];
}

/**
 * Validates the proxy configuration and applies defaults. Throws `TV_INVALID_CONFIG` naming the
 * field and the fix.
 */
export function resolveProxyConfig(value: unknown): ResolvedProxyConfig {
  const input = object(value, 'config');
  const appOrigins = input.appOrigins;
  if (!Array.isArray(appOrigins) || appOrigins.length === 0) fail('appOrigins', { why: 'appOrigins' });
  const clientId = input.clientId;
  if (typeof clientId !== 'string' || clientId === '') fail('clientId', { why: 'clientId' });
  const redact = input.redact ?? DEFAULT_REDACTED_FIELDS;
  if (!isFieldList(redact)) fail('redact', { why: 'fieldList' });
  if (!redact.includes('access_token') || !redact.includes('refresh_token')) fail('redact', { why: 'redactTokens' });
  const placeholder = input.placeholder ?? 'REDACTED';
  if (placeholder !== 'REDACTED' && placeholder !== 'jwt') {
    fail('placeholder', { why: 'placeholder' });
  }
  const keep = input.keep ?? [];
  if (!isFieldList(keep)) fail('keep', { why: 'fieldList' });
  const credential = keep.find((f) => CREDENTIAL_FIELDS.includes(f));
  if (credential !== undefined) fail('keep', { why: 'keepCredential', credential });
  const skew = input.refreshSkewSeconds ?? 30;
  if (typeof skew !== 'number' || !Number.isInteger(skew) || skew < 0 || skew > 3600) fail('refreshSkewSeconds', { why: 'refreshSkew' });
  const maxUpstreamRequests = input.maxUpstreamRequests ?? 64;
  if (typeof maxUpstreamRequests !== 'number' || !Number.isInteger(maxUpstreamRequests) || maxUpstreamRequests < 1 || maxUpstreamRequests > 1024) {
    fail('maxUpstreamRequests', { why: 'maxUpstream' });
  }
  const mode = input.mode ?? 'sealed';
  if (mode !== 'sealed' && mode !== 'drop-in') fail('mode', { why: 'mode' });
  const sessionWatch = input.sessionWatch ?? 'auto';
  if (sessionWatch !== 'auto' && sessionWatch !== 'off') fail('sessionWatch', { why: 'sessionWatch' });
  const scope = input.scope ?? 'openid';
  if (!isScope(scope)) fail('scope', { why: 'scope' });
  const issuer = issuerUrl(input.issuer, 'issuer');
  const origins = appOrigins.map((origin, index) => secureOrigin(origin, `appOrigins[${index}]`));
  const opOrigins = opOriginList(issuer, input.opOrigins, 'opOrigins');
  const ruleList = rules(input.rules, 'rules');
  checkRules(ruleList, origins, issuer);
  const opPassThrough = resolvePassThrough(input.opPassThrough, 'opPassThrough', issuer, opOrigins, ruleList);
  const hosts = input.hostOrigins ?? [];
  if (!Array.isArray(hosts)) fail('hostOrigins', { why: 'hostOrigins' });
  const hostOrigins = hosts.map((origin, index) => secureOrigin(origin, `hostOrigins[${index}]`));
  hostOrigins.forEach((origin, index) => {
    // The proxy takes a session ID from its grandparent at a host origin: an app origin there would
    // let the app itself (the proxy's parent, when not embedded) hand one.
    if (origins.includes(origin)) fail(`hostOrigins[${index}]`, { why: 'hostIsAppOrigin', origin });
  });
  return {
    mode,
    scope,
    appOrigins: origins,
    hostOrigins,
    issuer,
    opOrigins,
    opPassThrough,
    clientId,
    rules: ruleList,
    resources: resourceList(ruleList),
    redact,
    placeholder,
    keep,
    refreshSkewSeconds: skew,
    timeouts: timeouts(input.timeouts, 'timeouts'),
    maxUpstreamRequests,
    hostSession: hostSession(input.hostSession, 'hostSession'),
    sessionWatch,
    sessionCheck: sessionCheck(input.sessionCheck, 'sessionCheck', mode),
  };
}

/**
 * Validates the interceptor configuration and applies defaults. Throws `TV_INVALID_CONFIG` naming
 * the field, in development builds and in Node (the build tools). A production bundle only fills
 * in the defaults (`fillInterceptorConfig`): the worker's configuration is the app origin's
 * own code, checked by the build (`tokenvault` command, Vite plugin) before it is written, and
 * whoever could change it already owns the worker. So the checks drop out of the worker, as
 * workbox's asserts do.
 */
export function resolveInterceptorConfig(value: unknown): ResolvedInterceptorConfig {
  if (!dev) return fillInterceptorConfig(value as InterceptorConfig);
  const input = object(value, 'config');
  const issuer = issuerUrl(input.issuer, 'issuer');
  const opOrigins = opOriginList(issuer, input.opOrigins, 'opOrigins');
  const ruleList = rules(input.rules, 'rules');
  return {
    issuerOrigin: new URL(issuer).origin,
    opOrigins,
    opPassThrough: resolvePassThrough(input.opPassThrough, 'opPassThrough', issuer, opOrigins, ruleList),
    rules: ruleList,
    timeouts: timeouts(input.timeouts, 'timeouts'),
  };
}

/**
 * What {@link resolveInterceptorConfig} returns for a configuration that passes its checks, without
 * checking anything: the production path. Internal to the kit; exported for its unit test, which
 * holds the two to the same result.
 *
 * @internal
 */
export function fillInterceptorConfig(config: InterceptorConfig): ResolvedInterceptorConfig {
  const issuerOrigin = new URL(config.issuer).origin;
  return {
    issuerOrigin,
    opOrigins: [...new Set([issuerOrigin, ...(config.opOrigins ?? []).map((origin) => new URL(origin).origin)])],
    opPassThrough: (config.opPassThrough ?? []).map((entry) => {
      const url = new URL(entry);
      return { origin: routeOrigin(url), base: routePath(url.pathname) };
    }),
    rules: config.rules.map(({ origin, pathPrefix = '/', methods, requireAuthorizationHeader = false }) => ({
      origin: new URL(origin).origin,
      base: pathPrefix.replace(/\/+$/, ''),
      methods: methods ? new Set(methods) : null,
      requireAuthorizationHeader,
    })),
    timeouts: { ...DEFAULT_TIMEOUTS, ...config.timeouts },
  };
}
