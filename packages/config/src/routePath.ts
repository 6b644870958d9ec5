// How servers route an origin and a path: what the OP endpoint classification (classifyOpRequest)
// and the configuration's checks (checkOpEndpoints, opPassThrough) compare.

// Unreserved characters may be percent-encoded or not; routers decode them (RFC 3986 §6.2.2.2).
const ENCODED_UNRESERVED = /%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|2d|2e|5f|7e)/gi;

/**
 * The origin a server routes on: scheme and host in lower case, without the default port (the URL
 * parser does that) and without the trailing dot of a fully qualified host name, which a browser
 * counts as another origin and a server answers as the same host.
 *
 * @example
 * ```ts
 * routeOrigin(new URL('HTTPS://OP.Example.com.:443/token')) // 'https://op.example.com'
 * ```
 */
export function routeOrigin(url: URL): string {
  if (!url.hostname.endsWith('.')) return url.origin;
  return `${url.protocol}//${url.hostname.replace(/\.+$/, '')}${url.port ? `:${url.port}` : ''}`;
}

/**
 * A path as OPs route it: case-insensitive (Express, koa-router, ASP.NET, Spring's defaults),
 * with or without a trailing slash, repeated slashes as one, encoded unreserved characters decoded.
 * `/TOKEN`, `/token/`, `//token` and `/%74oken` are all `/token`; the root is `''`.
 *
 * @example
 * ```ts
 * routePath('/OAuth2//Token/') // '/oauth2/token'
 * ```
 */
export function routePath(pathname: string): string {
  return pathname
    .replace(ENCODED_UNRESERVED, (escape) => String.fromCharCode(Number.parseInt(escape.slice(1), 16)))
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
}
