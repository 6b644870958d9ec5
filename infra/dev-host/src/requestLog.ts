import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HOSTNAMES, type OriginName } from './origins.js';

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
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Which of the dev host's origins a Host header names. */
export function originOf(hostHeader: string | undefined): OriginName | 'unknown' {
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '');
  const entry = Object.entries(HOSTNAMES).find(([, host]) => host === hostname);
  return (entry?.[0] as OriginName | undefined) ?? 'unknown';
}

const KEPT_HEADERS = ['origin', 'content-type', 'sec-fetch-site', 'x-tokenvault-test'];

/** Records every request (the last `limit`) so tests can ask what a server really received. */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  #seq = 0;
  #limit: number;

  constructor(limit = 2000) {
    this.#limit = limit;
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
        origin: originOf(request.headers.host),
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        // A value without a scheme (the host session ID is the whole header) keeps no scheme:
        // its first word would be the credential itself.
        authorization: value ? { scheme: value.includes(' ') ? value.slice(0, value.indexOf(' ')) : '', sha256: sha256(value) } : null,
        headers,
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
