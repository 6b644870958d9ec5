import type { SerializedRequest } from '@tokenvault/protocol';

/**
 * Headers with which a client asks a server to act as if the request had another method; many
 * frameworks honour them (Express's method-override, Rails, Laravel, Spring's HiddenHttpMethodFilter
 * reads a form field, these are the header forms).
 */
const METHOD_OVERRIDE = new Set(['x-http-method-override', 'x-http-method', 'x-method-override']);

/**
 * The request without method-override headers. For rules restricted to some methods: a `GET`
 * with `X-HTTP-Method-Override: DELETE` would otherwise be a DELETE with a credential that the
 * rule allowed only for GET.
 *
 * @example
 * ```ts
 * if (rule.methods) request = withoutMethodOverride(request)
 * ```
 */
export function withoutMethodOverride(request: SerializedRequest): SerializedRequest {
  return { ...request, headers: request.headers.filter(([name]) => !METHOD_OVERRIDE.has(name.toLowerCase())) };
}
