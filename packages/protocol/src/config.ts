import { invalidConfig } from './errors.js';
import { DEFAULT_REDACTED_FIELDS } from './redact.js';
import { normalizeRule, parseOrigin, type NormalizedRule, type ResourceRule } from './rules.js';

/** Time limits, in milliseconds. Every request ends within them, with an answer or a typed error. */
export interface Timeouts {
  /** Waiting for the proxy iframe to load and say hello. Default 10 000. */
  proxyMs?: number;
  /** Waiting for an upstream server (token endpoint or API) to answer with a response head. Default 30 000. */
  upstreamMs?: number;
}

/**
 * Who is the OAuth client. `'sealed'`: the vault is: the proxy origin builds the authorization
 * request, receives the code on its own redirect URI and redeems it, so no code ever reaches the
 * app origin. `'drop-in'`: an OIDC client library in the app is, its code arrives at the app origin
 * and its token request is routed through the vault.
 */
export type SignInMode = 'sealed' | 'drop-in';

/** The proxy's built-in configuration. Nothing the app sends at run time can change it. */
export interface ProxyConfig {
  /** Default `'sealed'`. See {@link SignInMode}. */
  mode?: SignInMode;
  /** Sealed mode: the scope of a sign-in when the app names none. Must include `openid`. Default `openid`. */
  scope?: string;
  /** Origins allowed to embed the proxy and talk to it. */
  appOrigins: readonly string[];
  /** The OpenID Provider's issuer identifier; endpoints come from its discovery document. */
  issuer: string;
  /** The OAuth client the app signs in with (used for revocation). */
  clientId: string;
  /** Which requests get which credential. */
  rules: readonly ResourceRule[];
  /** Token response fields the app sees as "REDACTED". Default access_token, refresh_token. */
  redact?: readonly string[];
  /** Refresh this many seconds before the access token expires. Default 30. */
  refreshSkewSeconds?: number;
  timeouts?: Timeouts;
  /** How the host session ID goes out on rules with `credential: 'host_session'`. Default `Authorization: <id>`. */
  hostSession?: HostSessionHeader;
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
  readonly mode: SignInMode;
  readonly scope: string;
  readonly appOrigins: readonly string[];
  readonly issuer: string;
  readonly clientId: string;
  readonly rules: readonly NormalizedRule[];
  readonly redact: readonly string[];
  readonly refreshSkewSeconds: number;
  readonly timeouts: Required<Timeouts>;
  /** The header name in lower case, and the prefix. */
  readonly hostSession: Readonly<Required<HostSessionHeader>>;
}

/** The interceptor's configuration: only what it needs to route requests. */
export interface InterceptorConfig {
  /** The issuer; POST requests to its origin are candidates for the token endpoint. */
  issuer: string;
  /** The requests to route to the proxy. The proxy applies its own rules again. */
  rules: readonly ResourceRule[];
  timeouts?: Timeouts;
}

export interface ResolvedInterceptorConfig {
  readonly issuerOrigin: string;
  readonly rules: readonly NormalizedRule[];
  readonly timeouts: Required<Timeouts>;
}

export const DEFAULT_TIMEOUTS: Required<Timeouts> = { proxyMs: 10_000, upstreamMs: 30_000 };

export { invalidConfig } from './errors.js';

// How to fix a field is for development: production builds name the field and leave the prose out.
const dev = process.env.NODE_ENV !== 'production';

function fail(field: string, fix: string | false): never {
  throw invalidConfig(field, fix);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, dev && 'must be an object');
  return value as Record<string, unknown>;
}

function issuerUrl(value: unknown, field: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    fail(field, dev && `must be an absolute URL such as https://op.example.com (got ${JSON.stringify(value)})`);
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    fail(field, dev && 'must be an http(s) URL without query, fragment or credentials');
  }
  return value.replace(/\/$/, '');
}

function timeouts(value: unknown, field: string): Required<Timeouts> {
  if (value === undefined) return { ...DEFAULT_TIMEOUTS };
  const input = object(value, field);
  const out = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_TIMEOUTS)) fail(`${field}.${key}`, dev && `is not a known time limit (known: ${Object.keys(DEFAULT_TIMEOUTS).join(', ')})`);
    const ms = input[key];
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > 600_000) fail(`${field}.${key}`, dev && 'must be a whole number of milliseconds between 1 and 600000');
    out[key as keyof Timeouts] = ms;
  }
  return out;
}

// Headers a page's fetch may not set (Fetch "forbidden request-header"): the browser would drop
// them silently, so a configuration naming one is refused instead.
const FORBIDDEN_HEADERS = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method', 'connection',
  'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive', 'origin', 'referer',
  'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);

function hostSession(value: unknown, field: string): Required<HostSessionHeader> {
  if (value === undefined) return { header: 'authorization', prefix: '' };
  const input = object(value, field);
  for (const key of Object.keys(input)) if (key !== 'header' && key !== 'prefix') fail(`${field}.${key}`, dev && 'is not known (known: header, prefix)');
  const header = input.header ?? 'Authorization';
  if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,64}$/.test(header)) fail(`${field}.header`, dev && 'must be an HTTP header name');
  const name = header.toLowerCase();
  if (FORBIDDEN_HEADERS.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) fail(`${field}.header`, dev && `must be a header a browser lets a page set (not ${header})`);
  const prefix = input.prefix ?? '';
  if (typeof prefix !== 'string' || !/^[\x20-\x7e]{0,64}$/.test(prefix)) fail(`${field}.prefix`, dev && 'must be at most 64 printable ASCII characters');
  return { header: name, prefix };
}

/** A scope parameter (RFC 6749 §3.3) that includes `openid`. */
export function isScope(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1024 && /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(value) && value.split(' ').includes('openid');
}

function rules(value: unknown, field: string): NormalizedRule[] {
  if (!Array.isArray(value)) fail(field, dev && 'must be a list of rules ({ origin, pathPrefix, methods?, credential? })');
  return value.map((rule, index) => normalizeRule(rule as ResourceRule, `${field}[${index}]`));
}

/**
 * Validates the proxy configuration and applies defaults. Throws `TV_INVALID_CONFIG` naming the
 * field and the fix.
 */
export function resolveProxyConfig(value: unknown): ResolvedProxyConfig {
  const input = object(value, 'config');
  const appOrigins = input.appOrigins;
  if (!Array.isArray(appOrigins) || appOrigins.length === 0) fail('appOrigins', dev && 'must list at least one origin');
  const clientId = input.clientId;
  if (typeof clientId !== 'string' || clientId === '') fail('clientId', dev && 'must be the OAuth client_id the app signs in with');
  const redact = input.redact ?? DEFAULT_REDACTED_FIELDS;
  if (!Array.isArray(redact) || !redact.every((f) => typeof f === 'string' && f !== '')) fail('redact', dev && 'must be a list of token response field names');
  if (!redact.includes('access_token') || !redact.includes('refresh_token')) fail('redact', dev && 'must include access_token and refresh_token');
  const skew = input.refreshSkewSeconds ?? 30;
  if (typeof skew !== 'number' || !Number.isInteger(skew) || skew < 0 || skew > 3600) fail('refreshSkewSeconds', dev && 'must be a whole number of seconds between 0 and 3600');
  const mode = input.mode ?? 'sealed';
  if (mode !== 'sealed' && mode !== 'drop-in') fail('mode', dev && "must be 'sealed' (the vault is the OAuth client) or 'drop-in' (a client library in the app is)");
  const scope = input.scope ?? 'openid';
  if (!isScope(scope)) fail('scope', dev && 'must be a space-separated scope that includes openid');
  return {
    mode,
    scope,
    appOrigins: appOrigins.map((origin, index) => parseOrigin(origin, `appOrigins[${index}]`)),
    issuer: issuerUrl(input.issuer, 'issuer'),
    clientId,
    rules: rules(input.rules, 'rules'),
    redact,
    refreshSkewSeconds: skew,
    timeouts: timeouts(input.timeouts, 'timeouts'),
    hostSession: hostSession(input.hostSession, 'hostSession'),
  };
}

/** Validates the interceptor configuration and applies defaults. */
export function resolveInterceptorConfig(value: unknown): ResolvedInterceptorConfig {
  const input = object(value, 'config');
  return {
    issuerOrigin: new URL(issuerUrl(input.issuer, 'issuer')).origin,
    rules: rules(input.rules, 'rules'),
    timeouts: timeouts(input.timeouts, 'timeouts'),
  };
}
