import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/errors.js';
import { PROTOCOL_VERSION, ProxyRequestSchemas, parseMessage } from '../src/messages.js';
import { parseDoorMessage } from '../src/connect.js';
import { parseProxyReply, parseWorkerMessage } from '../src/replies.js';

const fetchMessage = {
  v: PROTOCOL_VERSION,
  type: 'fetch',
  id: 1,
  request: { url: 'https://api.example.com/v1/x', method: 'GET', headers: [['accept', 'application/json']], body: null },
};

function failure(schema: Parameters<typeof parseMessage>[0] | ((data: unknown) => unknown), data: unknown): VaultError {
  try {
    if (typeof schema === 'function') schema(data);
    else parseMessage(schema, data);
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('parseMessage', () => {
  it('accepts a well-formed fetch request', () => {
    expect(parseMessage(ProxyRequestSchemas, fetchMessage)).toEqual(fetchMessage);
  });

  it('accepts an abort of a fetch, and nothing more in it', () => {
    const abort = { v: PROTOCOL_VERSION, type: 'abort', id: 7 };
    expect(parseMessage(ProxyRequestSchemas, abort)).toEqual(abort);
    expect(failure(ProxyRequestSchemas, { ...abort, url: 'https://evil.example/' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(ProxyRequestSchemas, { ...abort, id: -1 }).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it('accepts a body as an ArrayBuffer', () => {
    const body = new TextEncoder().encode('{}').buffer;
    const parsed = parseMessage(ProxyRequestSchemas, { ...fetchMessage, request: { ...fetchMessage.request, method: 'POST', body } });
    expect(parsed.type === 'fetch' && parsed.request.body).toBe(body);
  });

  it.each([
    ['a string', 'connect'],
    ['null', null],
    ['an object without a version', { type: 'fetch' }],
  ])('rejects %s as TV_MALFORMED_MESSAGE', (_name, data) => {
    expect(failure(ProxyRequestSchemas, data).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it('rejects another protocol version as TV_VERSION_MISMATCH, before looking at the shape', () => {
    const err = failure(ProxyRequestSchemas, { ...fetchMessage, v: `${PROTOCOL_VERSION}1`, request: 'garbage' });
    expect(err.code).toBe('TV_VERSION_MISMATCH');
    expect(err.message).toContain(`${PROTOCOL_VERSION}1`);
  });

  it.each([
    ['an unknown type', { ...fetchMessage, type: 'steal-tokens' }],
    ['an extra field', { ...fetchMessage, credential: 'attach-to-everything' }],
    ['an extra field in the request', { ...fetchMessage, request: { ...fetchMessage.request, rules: [] } }],
    ['a negative id', { ...fetchMessage, id: -1 }],
    ['a fractional id', { ...fetchMessage, id: 1.5 }],
    ['a method with a space', { ...fetchMessage, request: { ...fetchMessage.request, method: 'GET /' } }],
    ['a header name with a colon', { ...fetchMessage, request: { ...fetchMessage.request, headers: [['x:y', 'z']] } }],
    ['headers as an object', { ...fetchMessage, request: { ...fetchMessage.request, headers: { accept: '*/*' } } }],
    ['a body that is a string', { ...fetchMessage, request: { ...fetchMessage.request, body: 'x' } }],
    ['a URL that is too long', { ...fetchMessage, request: { ...fetchMessage.request, url: `https://a.example/${'a'.repeat(20_000)}` } }],
  ])('rejects %s as TV_MALFORMED_MESSAGE naming the field', (_name, data) => {
    const err = failure(ProxyRequestSchemas, data);
    expect(err.code).toBe('TV_MALFORMED_MESSAGE');
    expect(err.message).toMatch(/^Malformed message/);
  });

  it('names the path of the first wrong field', () => {
    expect(failure(ProxyRequestSchemas, { ...fetchMessage, request: { ...fetchMessage.request, method: 7 } }).message).toContain('"request.method"');
  });

  it('checks connect messages', () => {
    expect(parseDoorMessage({ v: PROTOCOL_VERSION, type: 'connect', role: 'page' })).toEqual({ v: PROTOCOL_VERSION, type: 'connect', role: 'page' });
    expect(parseDoorMessage({ v: PROTOCOL_VERSION, type: 'ask-listening' }).type).toBe('ask-listening');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'ask-listening', role: 'page' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'listening' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'connect', role: 'admin' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'connect' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'connect', role: 'page', extra: 1 }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: PROTOCOL_VERSION, type: 'fetch', role: 'page' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseDoorMessage, { v: 'tokenvault/0', type: 'connect', role: 'page' }).code).toBe('TV_VERSION_MISMATCH');
  });

  it('checks worker messages: exactly the fields of their type', () => {
    expect(parseWorkerMessage({ v: PROTOCOL_VERSION, type: 'need-port' }).type).toBe('need-port');
    expect(parseWorkerMessage({ v: PROTOCOL_VERSION, type: 'error', error: 'TV_VERSION_MISMATCH', message: 'x' }).type).toBe('error');
    expect(failure(parseWorkerMessage, { v: PROTOCOL_VERSION, type: 'need-port', port: 1 }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseWorkerMessage, { v: PROTOCOL_VERSION, type: 'take-over' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseWorkerMessage, { v: PROTOCOL_VERSION, type: 'error', error: 'TV_MADE_UP', message: 'x' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseWorkerMessage, { v: 'tokenvault/0', type: 'connect' }).code).toBe('TV_VERSION_MISMATCH');
  });

  it('checks proxy replies, including the error code against the catalog', () => {
    expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'error', id: 3, error: 'TV_URL_NOT_ALLOWED', message: 'no' }).type).toBe('error');
    expect(failure(parseProxyReply, { v: PROTOCOL_VERSION, type: 'error', id: 3, error: 'TV_MADE_UP', message: 'no' }).code).toBe('TV_MALFORMED_MESSAGE');
    expect(failure(parseProxyReply, { v: PROTOCOL_VERSION, type: 'response', id: 3, status: 99, statusText: '', headers: [], body: null }).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it.each([
    ['a hello', { type: 'hello', endpoints: { issuer: 'https://op.example.com', token: 'https://op.example.com/token' } }],
    ['a response', { type: 'response', id: 1, status: 200, statusText: 'OK', headers: [['content-type', 'application/json']], body: null }],
    ['a result', { type: 'result', id: 2, signedIn: true, expiresAt: 1, endSessionUrl: 'https://op.example.com/end' }],
    ['a result listing the APIs with a token', { type: 'result', id: 2, signedIn: true, expiresAt: 1, apis: [{ api: 'https://api.example.com/', expiresAt: null }] }],
    ['an error without a request id', { type: 'error', id: -1, error: 'TV_INVALID_CONFIG', message: '' }],
    ['an event', { type: 'event', name: 'signed-out' }],
    ["a redirect sign-in's result with its ticket", { type: 'result', id: 2, signedIn: false, expiresAt: null, ticket: 'aBc-123_x' }],
  ])('accepts %s from the proxy', (_name, reply) => {
    expect(parseProxyReply({ v: PROTOCOL_VERSION, ...reply })).toEqual({ v: PROTOCOL_VERSION, ...reply });
  });

  it.each([
    ['an unknown type', { type: 'steal' }],
    ['a hello without a token endpoint', { type: 'hello' }],
    ['a response with a fractional id', { type: 'response', id: 1.5, status: 200, statusText: '', headers: [], body: null }],
    ['a response with headers as an object', { type: 'response', id: 1, status: 200, statusText: '', headers: {}, body: null }],
    ['a response whose body is a string', { type: 'response', id: 1, status: 200, statusText: '', headers: [], body: 'x' }],
    ['a result with expiresAt as a string', { type: 'result', id: 1, signedIn: true, expiresAt: 'soon' }],
    ['a result whose API entry carries more than its name and expiry', { type: 'result', id: 1, signedIn: true, expiresAt: 1, apis: [{ api: 'x', expiresAt: 1, token: 't' }] }],
    ['a result with an end-session URL that is no URL', { type: 'result', id: 1, signedIn: false, expiresAt: null, endSessionUrl: 'nope' }],
    ['an event of another name', { type: 'event', name: 'tokens' }],
    ['a result whose ticket is not a string', { type: 'result', id: 1, signedIn: false, expiresAt: null, ticket: { href: 'https://evil.example/' } }],
    ['a result whose ticket is no short text', { type: 'result', id: 1, signedIn: false, expiresAt: null, ticket: 'x'.repeat(2000) }],
  ])('refuses %s from the proxy as TV_MALFORMED_MESSAGE', (_name, reply) => {
    expect(failure(parseProxyReply, { v: PROTOCOL_VERSION, ...reply }).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it('refuses a reply of another protocol version as TV_VERSION_MISMATCH', () => {
    expect(failure(parseProxyReply, { v: 'tokenvault/2', type: 'hello', endpoints: { issuer: 'x', token: 'x' } }).code).toBe('TV_VERSION_MISMATCH');
  });
});

describe('the host-session request', () => {
  const hostSession = { v: PROTOCOL_VERSION, type: 'host-session', id: 3, sessionId: 'abc-123' };

  it('is accepted with a token68 session ID', () => {
    expect(parseMessage(ProxyRequestSchemas, hostSession)).toEqual(hostSession);
  });

  it.each([
    ['a session ID with a space', { ...hostSession, sessionId: 'a b' }],
    ['a session ID with CR LF', { ...hostSession, sessionId: 'a\r\nb' }],
    ['an empty session ID', { ...hostSession, sessionId: '' }],
    ['a session ID over 4096 characters', { ...hostSession, sessionId: 'a'.repeat(4097) }],
    ['an extra field', { ...hostSession, header: 'cookie' }],
  ])('rejects %s as TV_MALFORMED_MESSAGE', (_name, data) => {
    expect(failure(ProxyRequestSchemas, data).code).toBe('TV_MALFORMED_MESSAGE');
  });
});
