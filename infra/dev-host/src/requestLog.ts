import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HOSTNAMES, OTHER_SITE_HOSTNAMES, type OriginName } from './origins.js';

/** One request the dev host received. Credentials are kept only as a SHA-256, never in clear. */
export interface LoggedRequest {
  seq: number;
  origin: OriginName | 'unknown';
  method: string;
  /** The path, without the query (which may hold a code or a session state). */
  path: string;
  /** The Authorization header's scheme (empty when the value has none) and the SHA-256 (hex) of its whole value, or null. */
  authorization: { scheme: string; sha256: string } | null;
  /** Request headers the tests look at (origin, content-type, sec-fetch-site). */
  headers: Record<string, string>;
  /**
   * Only in a log made with `keepCredentials` (a test's stand-in for a careless server log): the
   * raw Authorization and DPoP headers.
   */
  raw?: { authorization?: string; dpop?: string };
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Which of the dev host's origins a Host header names. With `origins`, by their hostnames, `app`
 * first (the drop-in demo's origin is then `app`); without, by the fixed {@link HOSTNAMES}.
 */
export function originOf(hostHeader: string | undefined, origins?: Readonly<Record<OriginName, string>>): OriginName | 'unknown' {
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '');
  const hostnames = origins
    ? Object.entries(origins).map(([name, origin]) => [name, new URL(origin).hostname])
    : [...Object.entries(HOSTNAMES), ...Object.entries(OTHER_SITE_HOSTNAMES)];
  const entry = hostnames.find(([, host]) => host === hostname);
  return (entry?.[0] as OriginName | undefined) ?? 'unknown';
}

/** Routing- and method-override headers: kept so that a test can see whether one reached the API. */
export const OVERRIDE_HEADERS = [
  'x-original-url',
  'x-rewrite-url',
  'x-original-uri',
  'x-forwarded-uri',
  'x-forwarded-prefix',
  'x-forwarded-path',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-host',
  'forwarded',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
];
const KEPT_HEADERS = ['origin', 'content-type', 'sec-fetch-site', 'x-tokenvault-test', ...OVERRIDE_HEADERS];

function rawCredentials(headers: Record<string, string | string[] | undefined>): { authorization?: string; dpop?: string } {
  const out: { authorization?: string; dpop?: string } = {};
  if (typeof headers.authorization === 'string') out.authorization = headers.authorization;
  if (typeof headers.dpop === 'string') out.dpop = headers.dpop;
  return out;
}

/** Records every request (the last `limit`) so tests can ask what a server really received. */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  #seq = 0;
  #limit: number;
  #keepCredentials: boolean;

  #origins: Readonly<Record<OriginName, string>> | undefined;

  /** `keepCredentials` is for tests only: the log then keeps the raw credential headers too. `origins`: see {@link originOf}. */
  constructor(limit = 2000, options: { keepCredentials?: boolean; origins?: Readonly<Record<OriginName, string>> } = {}) {
    this.#limit = limit;
    this.#keepCredentials = options.keepCredentials ?? false;
    this.#origins = options.origins;
  }

  attach(app: FastifyInstance): void {
    app.addHook('onRequest', async (request) => {
      const value = request.headers.authorization;
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const header = request.headers[name];
        if (typeof header === 'string') headers[name] = header;
      }
      this.entries.push({
        seq: ++this.#seq,
        origin: originOf(request.headers.host, this.#origins),
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        // A value without a scheme (the host session ID is the whole header) keeps no scheme:
        // its first word would be the credential itself.
        authorization: value ? { scheme: value.includes(' ') ? value.slice(0, value.indexOf(' ')) : '', sha256: sha256(value) } : null,
        headers,
        ...(this.#keepCredentials ? { raw: rawCredentials(request.headers) } : {}),
      });
      if (this.entries.length > this.#limit) this.entries.shift();
    });
  }

  /** Entries for one origin (and path prefix), in order. */
  find(origin: OriginName, pathPrefix = '/'): LoggedRequest[] {
    return this.entries.filter((entry) => entry.origin === origin && entry.path.startsWith(pathPrefix));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
