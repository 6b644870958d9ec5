import { OP_ENDPOINT_KINDS, type OpEndpointKind, type OpEndpoints } from '@tokenvault/protocol';
import { ambiguousPath } from './rules.js';
import { routeOrigin, routePath } from './routePath.js';

/**
 * A path on an OP origin that is not an OAuth endpoint (an SDK's session or journey API, such as
 * ForgeRock AM's `/json/`), declared in `opPassThrough`: requests there leave the page as the page
 * made them, without any credential from the vault.
 */
export interface PassThroughPath {
  /** The OP origin, as a server routes it ({@link routeOrigin}). */
  readonly origin: string;
  /** The path prefix as OPs route it ({@link routePath}): `/segment[/segment…]`, never the root. */
  readonly base: string;
}

/**
 * What a request is, as far as the OP is concerned:
 * - one of its endpoints (`exactQuery`: the query is the endpoint's own, parameters in any order);
 * - `unclassified`: a request that can change something (not GET or HEAD) to an origin of the OP's
 *   endpoints, at none of them. The vault lets no such request go out: it could be a token request
 *   in a form nobody here foresaw.
 * - `pass-through`: such a request under a path the configuration declares (`opPassThrough`): it
 *   goes from the page as the page made it, with no credential.
 * - `none`: not the OP's (another origin, or a GET or HEAD such as discovery or the JWKS).
 */
export type OpRequest =
  | {
      /** The endpoint the request is at. */
      readonly kind: OpEndpointKind;
      /** Whether the query is the endpoint URL's own (its parameters in any order), not another. */
      readonly exactQuery: boolean;
    }
  | {
      /** At an origin of the OP's endpoints, at none of them, and not a read: refused. */
      readonly kind: 'unclassified';
    }
  | {
      /** At an origin of the OP's endpoints, at none of them, under a declared pass-through path: the page's own. */
      readonly kind: 'pass-through';
    }
  | {
      /** Not a request to the OP. */
      readonly kind: 'none';
    };

/** Methods that read: a browser sends them without a preflight and no OP endpoint acts on them. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// routeOrigin and routePath are in routePath.ts (the proxy frame checks the OP's endpoints at start
// without the classification).
export { routeOrigin, routePath } from './routePath.js';

/** The query as a sorted list of decoded parameters: `?b=2&a=1` and `?a=1&b=2` are the same. */
function queryKey(search: string): string {
  return JSON.stringify([...new URLSearchParams(search)].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)));
}

interface Compiled {
  origins: ReadonlySet<string>;
  endpoints: readonly { kind: OpEndpointKind; origin: string; path: string; query: string }[];
}

const compiled = new WeakMap<OpEndpoints, Compiled>();

function compile(endpoints: OpEndpoints): Compiled {
  let out = compiled.get(endpoints);
  if (out) return out;
  const list: Compiled['endpoints'][number][] = [];
  for (const kind of OP_ENDPOINT_KINDS) {
    const value = endpoints[kind];
    if (value === undefined) continue;
    const url = new URL(value);
    list.push({ kind, origin: routeOrigin(url), path: routePath(url.pathname), query: queryKey(url.search) });
  }
  out = { origins: new Set([routeOrigin(new URL(endpoints.issuer)), ...list.map((e) => e.origin)]), endpoints: list };
  compiled.set(endpoints, out);
  return out;
}

/**
 * True when `url` lies under one of the declared pass-through paths, compared as OPs route them
 * (a path someone could read two ways never is).
 */
function isPassThrough(list: readonly PassThroughPath[], url: URL): boolean {
  if (list.length === 0 || ambiguousPath(url.pathname)) return false;
  const origin = routeOrigin(url);
  const path = routePath(url.pathname);
  return list.some((entry) => entry.origin === origin && (path === entry.base || path.startsWith(`${entry.base}/`)));
}

/**
 * The origins where the OP serves its endpoints (and its issuer's): a request to any of them that
 * is not a read must be classified before it may go anywhere.
 */
export function opOrigins(endpoints: OpEndpoints): readonly string[] {
  return [...compile(endpoints).origins];
}

/**
 * The one decision "which OP endpoint is this request for", shared by the interceptor (which routes
 * by it) and the proxy (which acts on it), so that the two can never disagree. The origin and path
 * are compared as a server routes them ({@link routeOrigin}, {@link routePath}); the query does not
 * decide the endpoint (an OP routes on the path), it is reported as `exactQuery`. An endpoint
 * always wins: a request at an endpoint's path is that endpoint even under a declared
 * `passThrough` path (the proxy refuses to start with such a declaration anyway).
 *
 * `url` must come from `parseRequestUrl` or from the browser (a Request's URL): ambiguous paths are
 * refused there, before anything is classified.
 *
 * @example
 * ```ts
 * const endpoints = { issuer: 'https://op.example.com', token: 'https://op.example.com/oauth/token' }
 * classifyOpRequest(endpoints, 'https://OP.example.com:443/OAuth/Token/?x=1', 'POST')
 * // { kind: 'token', exactQuery: false }
 * classifyOpRequest(endpoints, 'https://op.example.com/oauth/other', 'POST') // { kind: 'unclassified' }
 * classifyOpRequest(endpoints, 'https://op.example.com/.well-known/openid-configuration', 'GET') // { kind: 'none' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2
 */
export function classifyOpRequest(endpoints: OpEndpoints, url: URL | string, method: string, passThrough: readonly PassThroughPath[] = []): OpRequest {
  const target = typeof url === 'string' ? new URL(url) : url;
  const { origins, endpoints: list } = compile(endpoints);
  const origin = routeOrigin(target);
  if (!origins.has(origin)) return { kind: 'none' };
  const path = routePath(target.pathname);
  const candidates = list.filter((e) => e.origin === origin && e.path === path);
  if (candidates.length === 0) {
    if (READ_METHODS.has(method.toUpperCase())) return { kind: 'none' };
    return isPassThrough(passThrough, target) ? { kind: 'pass-through' } : { kind: 'unclassified' };
  }
  // Two endpoints may share a path and differ by query; the one whose query matches wins.
  const query = queryKey(target.search);
  const exact = candidates.find((e) => e.query === query);
  return { kind: (exact ?? candidates[0]).kind, exactQuery: exact !== undefined };
}
