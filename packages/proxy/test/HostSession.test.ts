import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SerializedRequest } from '@tokenvault/protocol';
import { resolveProxyConfig } from '@tokenvault/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostSession } from '../src/tokens/HostSession.js';
import { defined } from '@tokenvault/test-support';

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
afterAll(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);

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

  it("sends the ID as the whole Authorization header by default, replacing the app's own", async () => {
    const session = new HostSession(config());
    session.set('the-session-id');
    const response = await session.send(
      request([
        ['authorization', 'Bearer REDACTED'],
        ['accept', 'application/json'],
      ]),
    );
    expect(response.status).toBe(200);
    const headers = defined(received.at(-1));
    expect(headers.authorization).toBe('the-session-id');
    expect(headers.accept).toBe('application/json');
  });

  it('uses the configured header and prefix', async () => {
    const session = new HostSession(config({ header: 'X-Session', prefix: 'Session ' }));
    session.set('abc');
    await session.send(request([['x-session', 'forged']]));
    const headers = defined(received.at(-1));
    expect(headers['x-session']).toBe('Session abc');
    expect(headers.authorization).toBeUndefined();
  });

  it('takes one ID per page: a second one is refused (TV_HOST_SESSION_ALREADY_SET) and the first stays', async () => {
    const session = new HostSession(config());
    let taken = 0;
    session.onTaken = () => taken++;
    session.set('first');
    expect(() => {
      session.set('second');
    }).toThrow(expect.objectContaining({ code: 'TV_HOST_SESSION_ALREADY_SET' }));
    expect(taken).toBe(1);
    await session.send(request());
    expect(defined(received.at(-1)).authorization).toBe('first');
  });

  it("refuses an ID from the app (TV_HOST_SESSION_REFUSED) unless the handoff is 'app-window', holding none", () => {
    const session = new HostSession(config());
    expect(() => {
      session.fromApp('from-the-app');
    }).toThrow(expect.objectContaining({ code: 'TV_HOST_SESSION_REFUSED' }));
    expect(session.present).toBe(false);
    expect(() => session.send(request())).toThrow(expect.objectContaining({ code: 'TV_NO_HOST_SESSION' }));
  });

  it("refuses an ID from the app after the host's too, keeping the host's", async () => {
    const session = new HostSession(config());
    session.set('from-the-host');
    expect(() => {
      session.fromApp('from-the-app');
    }).toThrow(expect.objectContaining({ code: 'TV_HOST_SESSION_REFUSED' }));
    await session.send(request());
    expect(defined(received.at(-1)).authorization).toBe('from-the-host');
  });

  it("in the 'app-window' compatibility mode takes the app's first ID, and refuses a second (TV_HOST_SESSION_ALREADY_SET)", async () => {
    const session = new HostSession(config({ handoff: 'app-window' }));
    session.fromApp('first');
    expect(() => {
      session.fromApp('second');
    }).toThrow(expect.objectContaining({ code: 'TV_HOST_SESSION_ALREADY_SET' }));
    await session.send(request());
    expect(defined(received.at(-1)).authorization).toBe('first');
  });

  it('never puts the ID into an error message', () => {
    const session = new HostSession(config());
    session.set('secret-id');
    try {
      session.set('other');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
