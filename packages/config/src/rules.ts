import { VaultError } from '@tokenvault/protocol';
import { decodedPath } from './decodedPath.js';

/** Which credential the proxy attaches to requests that match a rule. */
export type CredentialKind = 'access_token' | 'host_session';

/**
 * A protected-resource rule: requests to `origin` whose path is `pathPrefix` or below it (at a
 * segment boundary) get a credential. `https://api.example.com` + `/v1/` matches `/v1` and `/v1/x`,
 * never `/v10` or `https://api.example.com.evil.tld`.
 */
export interface ResourceRule {
  /** An exact origin: scheme, host and port, nothing else (`https://api.example.com`). */
  origin: string;
  /** A path prefix starting with `/`; matched at a segment boundary. Defaults to `/`. */
  pathPrefix?: string;
  /** HTTP methods the rule allows (upper case). Defaults to every method. */
  methods?: readonly string[];
  /** The credential to attach. Defaults to `access_token`. */
  credential?: CredentialKind;
  /**
   * Prove possession of the vault's key on these requests (DPoP, RFC 9449): the access token goes
   * as `Authorization: DPoP <token>` with a `DPoP` proof signed in the proxy origin. A configuration
   * with such a rule also proves possession at the token endpoint, so that the OP binds the tokens
   * to the key. Only with `credential: 'access_token'`. Default false (`Authorization: Bearer`).
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
   */
  dpop?: boolean;
  /**
   * The API these requests belong to, as a resource indicator (RFC 8707: an absolute URI without a
   * fragment, such as `https://api.example.com/`): the vault gets this API a token of its own with
   * the refresh token (`resource` on the refresh grant, §2.2), keeps it apart from every other
   * API's and attaches it only here. Rules without `resource` or `audience` share the sign-in's
   * token, which is also the one the OP's userinfo endpoint gets. Only with
   * `credential: 'access_token'`; not together with `audience`.
   *
   * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
   */
  resource?: string;
  /**
   * The same as `resource`, for OPs that name the API with an `audience` parameter instead
   * (Auth0): sent as `audience=<value>` on the refresh grant.
   */
  audience?: string;
  /**
   * The scope this API's token is asked with on the refresh grant (`scope=<value>`, RFC 6749 §6):
   * how OPs that choose the API by scope do it (Microsoft Entra ID v2.0:
   * `api://<application ID>/.default`; Keycloak: a client scope whose audience mapper names the
   * API). Alone, the scope names the API (its token slot is named by it); with `resource` or
   * `audience`, it is sent beside that parameter. Space-separated scope tokens (RFC 6749 §3.3).
   * Only with `credential: 'access_token'`; every rule of one API names the same scope.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
   */
  scope?: string;
  /**
   * The worker hands a request of this rule to the vault only when it carries an `Authorization`
   * header (any value: the placeholder `Bearer REDACTED` an OIDC library or the app's own fetch
   * sends); without one it goes out as the page made it, with no credential. Markup cannot set a
   * request header: this closes the one markup request a worker cannot tell from a script's
   * `fetch()`, `<link rel=preload as=fetch crossorigin>` (destination `''`, mode `cors`).
   * `vault.fetch` does not pass the worker and needs none. Default false.
   */
  requireAuthorizationHeader?: boolean;
}

/**
 * Which parameter names the API at the token endpoint: RFC 8707's `resource`, `audience` (Auth0),
 * or `scope` alone (Entra ID v2.0, Keycloak).
 */
export type ResourceParam = 'resource' | 'audience' | 'scope';

/** The API a rule's token is for (see {@link ResourceRule.resource}). */
export interface ResourceIndicator {
  /** The parameter the vault sends it in. */
  readonly param: ResourceParam;
  /** Its value, as configured; also the name of the API's token slot in the vault. */
  readonly value: string;
  /** With `resource` or `audience`: the rule's `scope`, sent beside it on the refresh grant. */
  readonly scope?: string;
}

/** A rule after validation: canonical origin, prefix without trailing slash, methods upper case. */
export interface NormalizedRule {
  /** The canonical origin. */
  readonly origin: string;
  /** `''` for the root, otherwise `/segment[/segment…]` without a trailing slash. */
  readonly base: string;
  /** The methods, upper case; null for all. */
  readonly methods: ReadonlySet<string> | null;
  /** What the proxy attaches. */
  readonly credential: CredentialKind;
  /** Whether requests under this rule carry a DPoP proof. */
  readonly dpop: boolean;
  /** The API whose own token these requests get; null: the sign-in's token. */
  readonly resource: ResourceIndicator | null;
  /** Whether the worker routes these requests only when they carry an `Authorization` header. */
  readonly requireAuthorizationHeader: boolean;
}

/** What the worker routes by: the part of a {@link NormalizedRule} that decides whether a request is the vault's. */
export type RoutingRule = Pick<NormalizedRule, 'origin' | 'base' | 'methods' | 'requireAuthorizationHeader'>;

/**
 * True when a raw path could be read two ways by two parsers (or by a parser and the server behind
 * it): dot segments (`.`/`..`, plain or percent-encoded), backslashes, percent-encoded slashes and
 * backslashes, `;` path parameters (Tomcat and Jetty drop `;…` from a segment: `/v1/..;/admin` is
 * `/admin` there), double encoding (`%25` and hex: decoded twice it is another path), `%u`
 * escapes and other `%` not followed by two hex digits (IIS reads `%u002e` as a dot), and bytes
 * that are not UTF-8, such as the overlong `%c0%ae` (a dot to some decoders).
 */
export function ambiguousPath(path: string): boolean {
  if (path.includes('\\') || path.includes(';')) return true;
  if (/%(2f|5c|2e|3b)/i.test(path)) return true;
  if (/%(?![0-9a-f]{2})/i.test(path) || /%25[0-9a-f]{2}/i.test(path)) return true;
  if (decodedPath(path) === null) return true;
  return path.split('/').some((segment) => segment === '.' || segment === '..');
}

/** The raw path of an absolute URL string, before any normalisation, or null when it has none. */
function rawPath(input: string): string | null {
  const match = /^[a-z][a-z\d+.-]*:\/\/[^/?#\\]*([^?#]*)/i.exec(input);
  // The group always takes part in a match (it may be empty), so match[1] is a string.
  return match ? match[1] : null;
}

/**
 * Parses a request URL the way the proxy must: refuses (`TV_AMBIGUOUS_URL`) anything that two
 * parsers could read differently, so that a rule is never matched on one reading and sent on another.
 */
export function parseRequestUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new VaultError('TV_AMBIGUOUS_URL', { why: 'urlNotAbsolute' }, { cause });
  }
  const path = rawPath(input);
  if (path === null) throw new VaultError('TV_AMBIGUOUS_URL', { why: 'urlNotHierarchical' });
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VaultError('TV_AMBIGUOUS_URL', { why: 'urlScheme' });
  }
  if (url.username !== '' || url.password !== '' || /^[a-z][a-z\d+.-]*:\/\/[^/?#]*@/i.test(input)) {
    throw new VaultError('TV_AMBIGUOUS_URL', { why: 'urlCredentials' });
  }
  if (ambiguousPath(path) || ambiguousPath(url.pathname)) {
    throw new VaultError('TV_AMBIGUOUS_URL', { why: 'urlAmbiguous' });
  }
  return url;
}

/** True when `url` (already parsed by `parseRequestUrl`) and `method` fall under `rule`. */
export function ruleMatches(rule: Pick<NormalizedRule, 'origin' | 'base' | 'methods'>, url: URL, method: string): boolean {
  if (url.origin !== rule.origin) return false;
  if (rule.methods !== null && !rule.methods.has(method.toUpperCase())) return false;
  const path = url.pathname;
  return rule.base === '' || path === rule.base || path.startsWith(`${rule.base}/`);
}

/**
 * The first rule that `input` + `method` match, or undefined. Throws `TV_AMBIGUOUS_URL` for a URL
 * that must not be matched at all.
 *
 * @example
 * ```ts
 * const rules = [normalizeRule({ origin: 'https://api.example.com', pathPrefix: '/v1/' })]
 * findRule(rules, 'https://api.example.com/v1/me', 'GET')   // the rule
 * findRule(rules, 'https://api.example.com/v10', 'GET')     // undefined
 * ```
 */
export function findRule(rules: readonly NormalizedRule[], input: string, method: string): NormalizedRule | undefined {
  const url = parseRequestUrl(input);
  return rules.find((rule) => ruleMatches(rule, url, method));
}
