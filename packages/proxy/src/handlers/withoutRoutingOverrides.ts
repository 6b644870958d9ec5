import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import type { NormalizedRule } from '@tokenvault/config';

/**
 * Headers with which a client asks a server (or the reverse proxy in front of it) to route the
 * request to another path or host than its URL says: IIS and Symfony read `X-Original-URL` and
 * `X-Rewrite-URL`, many frameworks build URLs from `X-Forwarded-Prefix`/`-Host`/`-Path`, Envoy and
 * nginx setups trust `X-Original-URI`. Behind such a server, `GET /v1/x` with
 * `X-Original-URL: /admin/` would carry the credential to a path outside the rule.
 */
const ROUTING_OVERRIDE = new Set([
  'x-original-url',
  'x-rewrite-url',
  'x-original-uri',
  'x-forwarded-uri',
  'x-forwarded-prefix',
  'x-forwarded-path',
  'x-forwarded-host',
  'x-forwarded-server',
  'x-forwarded-proto',
  'x-forwarded-scheme',
  'x-forwarded-port',
  'x-original-host',
  'x-host',
  'x-http-host-override',
  'x-envoy-original-path',
  'forwarded',
]);

/**
 * Headers with which a client asks a server to act as if the request had another method; many
 * frameworks honour them (Express's method-override, Symfony, Laravel, Spring's HiddenHttpMethodFilter).
 */
const METHOD_OVERRIDE = new Set(['x-http-method-override', 'x-http-method', 'x-method-override']);

/** The `_method` field that Rails (Rack::MethodOverride), Laravel, Symfony and Spring read from a form, a JSON body or the query. */
const METHOD_FIELD = '_method';

function contentType(request: SerializedRequest): string {
  return (request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase();
}

/** True when the body or the query carries a `_method` field a framework would read as the method. */
function hasMethodField(request: SerializedRequest): boolean {
  if (new URL(request.url).searchParams.has(METHOD_FIELD)) return true;
  if (!request.body || request.body.byteLength === 0) return false;
  const type = contentType(request);
  const text = new TextDecoder().decode(request.body);
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(text).has(METHOD_FIELD);
  if (type.startsWith('multipart/form-data')) return /name="?_method"?/i.test(text);
  if (type.includes('json')) {
    try {
      const json: unknown = JSON.parse(text);
      return typeof json === 'object' && json !== null && Object.hasOwn(json, METHOD_FIELD);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The request as a rule lets it go out: routing-override headers stripped on every rule (a rule is
 * an origin and a path prefix, and they would move the request out of both); on a rule limited to
 * some methods, method-override headers stripped too, and a `_method` field (query, form, JSON) refused
 * with `TV_INVALID_REQUEST`: a body is never rewritten, and `POST` with `_method=DELETE` would be a
 * DELETE with a credential that the rule allowed only for POST.
 *
 * @example
 * ```ts
 * const request = withoutRoutingOverrides(incoming, rule)
 * ```
 * @see https://owasp.org/www-community/attacks/HTTP_Request_Smuggling (routing headers in front-end/back-end splits)
 */
export function withoutRoutingOverrides(request: SerializedRequest, rule: NormalizedRule): SerializedRequest {
  const methodLimited = rule.methods !== null;
  if (methodLimited && hasMethodField(request)) {
    throw new VaultError('TV_INVALID_REQUEST', { why: 'methodOverride', name: METHOD_FIELD });
  }
  const headers = request.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return !ROUTING_OVERRIDE.has(lower) && !(methodLimited && METHOD_OVERRIDE.has(lower));
  });
  return headers.length === request.headers.length ? request : { ...request, headers };
}
