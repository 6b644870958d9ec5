import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import { REDACTED } from '../src/tokens/redact.js';
import { VaultError, type SerializedRequest } from '@tokenvault/protocol';
import { resolveProxyConfig, type ProxyConfig, type ResolvedProxyConfig } from '@tokenvault/config';
import type { ApiTokens, TokenSet } from '../src/tokens/TokenStore.js';
import type { VaultAccess } from '../src/tokens/VaultAccess.js';

/** A form POST as the app's library sends it. */
export function form(url: string, fields: [string, string][], contentType = 'application/x-www-form-urlencoded'): SerializedRequest {
  const body = new TextEncoder().encode(new URLSearchParams(fields).toString()).buffer;
  return { url, method: 'POST', headers: [['content-type', contentType]], body };
}

export const STORED: TokenSet = {
  accessToken: 'at-secret',
  refreshToken: 'rt-secret',
  idToken: null,
  tokenType: 'Bearer',
  scope: 'openid api',
  expiresAt: Date.now() + 600_000,
};

/** A VaultAccess over one in-memory token set, recording what the handler did. */
export function memoryAccess(initial: TokenSet | null): VaultAccess & { current: TokenSet | null; signedOut: number } {
  const access = {
    clientId: 'spa',
    upstreamMs: 5000,
    current: initial,
    signedOut: 0,
    exclusive: <T>(task: () => Promise<T>) => task(),
    tokens: async () => access.current,
    save: async (tokens: TokenSet) => void (access.current = tokens),
    signOut: async () => {
      access.current = null;
      access.signedOut++;
    },
  };
  return access;
}

export { REDACTED };

/**
 * The token store in memory, with TokenStore's cache semantics (get reads the memory copy when there
 * is one, invalidate drops it); `failing` makes every storage operation throw as a broken IndexedDB does.
 */
export class MemoryStore {
  saved: TokenSet | null = null;
  cache: TokenSet | null | undefined;
  /** Every API's own token, as stored (TokenStore keeps them beside the set, in one transaction with it). */
  savedApis: ApiTokens = {};
  apisCache: ApiTokens | undefined;
  failing = false;
  /** How many times storage (not the memory copy) was read. */
  reads = 0;
  async get(): Promise<TokenSet | null> {
    if (this.cache !== undefined) return this.cache;
    this.reads++;
    if (this.failing) throw new VaultError('TV_STORAGE_UNAVAILABLE');
    return (this.cache = this.saved);
  }
  async set(tokens: TokenSet): Promise<void> {
    if (this.failing) throw new VaultError('TV_STORAGE_UNAVAILABLE');
    this.saved = this.cache = tokens;
  }
  async apis(): Promise<ApiTokens> {
    if (this.apisCache !== undefined) return this.apisCache;
    this.reads++;
    if (this.failing) throw new VaultError('TV_STORAGE_UNAVAILABLE');
    return (this.apisCache = this.savedApis);
  }
  async setWithApis(tokens: TokenSet, apis: ApiTokens): Promise<void> {
    if (this.failing) throw new VaultError('TV_STORAGE_UNAVAILABLE');
    this.saved = this.cache = tokens;
    this.savedApis = this.apisCache = apis;
  }
  async clear(): Promise<void> {
    this.cache = null;
    this.apisCache = {};
    if (this.failing) throw new VaultError('TV_STORAGE_UNAVAILABLE');
    this.saved = null;
    this.savedApis = {};
  }
  peek(): TokenSet | null | undefined {
    return this.cache;
  }
  invalidate(): void {
    this.cache = undefined;
    this.apisCache = undefined;
  }
}

/** What the test OP saw of one request. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** When it came (performance.now()). */
  at: number;
}

/** An answer of the test OP; `delayMs` holds it back (to let concurrent callers pile up). */
export interface Answer {
  status: number;
  body: unknown;
  delayMs?: number;
}

/**
 * A real HTTP server in Node playing the OP (and an API): its discovery document names its own
 * endpoints; `answer` maps a path to how it answers; `received` records every request.
 */
export async function testOp(): Promise<{
  base: string;
  received: Received[];
  answer: Map<string, (request: Received) => Answer>;
  discovery: Record<string, unknown>;
  reset(): void;
  close(): Promise<void>;
}> {
  const op = {
    base: '',
    received: [] as Received[],
    answer: new Map<string, (request: Received) => Answer>(),
    discovery: {} as Record<string, unknown>,
    reset(): void {
      op.received.length = 0;
      op.answer.clear();
      op.discovery = { issuer: op.base, token_endpoint: `${op.base}/token`, revocation_endpoint: `${op.base}/revoke`, end_session_endpoint: `${op.base}/logout` };
    },
    close: (): Promise<void> => {
      server.closeAllConnections();
      return new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const entry: Received = { method: request.method ?? '', path, headers: request.headers, body, at: performance.now() };
      op.received.push(entry);
      const reply: Answer = path.endsWith('/.well-known/openid-configuration')
        ? { status: 200, body: op.discovery }
        : (op.answer.get(path)?.(entry) ?? { status: 404, body: { error: 'not_found' } });
      setTimeout(() => {
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  op.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  op.reset();
  return op;
}

/** An unsigned JWT with these claims: the proxy reads an ID token's `sub` without verifying it (keepWider). */
export const idTokenFor = (sub: string): string => `h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.s`;

/** The code of the VaultError a promise rejects with, or a description of what else happened. */
export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof VaultError ? err.code : `not a VaultError: ${String(err)}`;
  }
  return 'no error';
}

/** What {@link testOp} resolves with. */
export type TestOp = Awaited<ReturnType<typeof testOp>>;

/**
 * A {@link testOp} for the tests of one file: started when the file loads (`await` it at the top
 * level), reset before each test, closed after the last.
 */
export async function useTestOp(): Promise<TestOp> {
  const op = await testOp();
  afterAll(() => op.close());
  beforeEach(() => {
    op.reset();
  });
  return op;
}

/** A drop-in proxy configuration against `op` (the app at https://app.example.com, client `spa`, one rule for the OP's /api/ paths), with `changes` over it. */
export function dropInConfig(op: TestOp, changes: Partial<ProxyConfig> = {}): ResolvedProxyConfig {
  return resolveProxyConfig({
    mode: 'drop-in',
    appOrigins: ['https://app.example.com'],
    issuer: op.base,
    clientId: 'spa',
    rules: [{ origin: op.base, pathPrefix: '/api/' }],
    ...changes,
  });
}
