import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveProxyConfig, type SerializedRequest } from '@tokenvault/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostSession } from '../src/HostSession.js';

// A real HTTP server standing for the host API: the test sees exactly the headers that arrive.
let server: Server;
let base: string;
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.headers);
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function config(hostSession?: object) {
  return resolveProxyConfig({
    appOrigins: ['https://app.example.com'],
    issuer: 'https://op.example.com',
    clientId: 'spa',
    rules: [{ origin: base, pathPrefix: '/api/', credential: 'host_session' }],
    ...(hostSession ? { hostSession } : {}),
  });
}

function request(headers: [string, string][] = []): SerializedRequest {
  return { url: `${base}/api/me`, method: 'GET', headers, body: null };
}

describe('HostSession', () => {
  it('refuses a request while it holds no session ID (TV_NO_HOST_SESSION), sending nothing', () => {
    const session = new HostSession(config());
    const before = received.length;
    expect(() => session.send(request())).toThrow(expect.objectContaining({ code: 'TV_NO_HOST_SESSION' }));
    expect(received).toHaveLength(before);
  });

  it('sends the ID as the whole Authorization header by default, replacing the app\'s own', async () => {
    const session = new HostSession(config());
    session.set('the-session-id');
    const response = await session.send(request([['authorization', 'Bearer REDACTED'], ['accept', 'application/json']]));
    expect(response.status).toBe(200);
    const headers = received.at(-1)!;
    expect(headers.authorization).toBe('the-session-id');
    expect(headers.accept).toBe('application/json');
  });

  it('uses the configured header and prefix', async () => {
    const session = new HostSession(config({ header: 'X-Session', prefix: 'Session ' }));
    session.set('abc');
    await session.send(request([['x-session', 'forged']]));
    const headers = received.at(-1)!;
    expect(headers['x-session']).toBe('Session abc');
    expect(headers.authorization).toBeUndefined();
  });

  it('takes one ID per page: a second one is refused (TV_INVALID_REQUEST) and the first stays', async () => {
    const session = new HostSession(config());
    session.set('first');
    expect(() => session.set('second')).toThrow(expect.objectContaining({ code: 'TV_INVALID_REQUEST' }));
    await session.send(request());
    expect(received.at(-1)!.authorization).toBe('first');
  });

  it('never puts the ID into an error message', () => {
    const session = new HostSession(config());
    session.set('secret-id');
    try {
      session.set('other');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('secret');
    }
  });
});
