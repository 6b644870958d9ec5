import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/errors.js';
import {
  HOST_READY_MESSAGE,
  HostHandoffSchemas,
  hostHandoffMessage,
  hostSessionMessage,
  isHostReadyMessage,
  looksLikeHostHandoff,
  parseFromProxy,
  parseHostSessionMessage,
} from '../src/hostSession.js';
import { parseMessage } from '../src/messages.js';
import { PROTOCOL_VERSION } from '../src/version.js';

const message = (sessionId: unknown) => JSON.stringify({ message_id: 'session_id', data: { session_id: sessionId } });

function failure(run: () => unknown): VaultError {
  try {
    run();
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('the "ready" message', () => {
  it('is the JSON string existing hosts expect', () => {
    expect(HOST_READY_MESSAGE).toBe('{"message_id":"ready","data":{}}');
    expect(JSON.parse(HOST_READY_MESSAGE)).toEqual({ message_id: 'ready', data: {} });
  });

  it('is recognised as a string or an object, and nothing else is', () => {
    expect(isHostReadyMessage(HOST_READY_MESSAGE)).toBe(true);
    expect(isHostReadyMessage({ message_id: 'ready', data: {} })).toBe(true);
    expect(isHostReadyMessage('{"message_id":"session_id","data":{}}')).toBe(false);
    expect(isHostReadyMessage('ready')).toBe(false);
    expect(isHostReadyMessage({ message_id: 'ready' })).toBe(false);
    expect(isHostReadyMessage(`{"message_id":"ready","data":{},"pad":"${'x'.repeat(300)}"}`)).toBe(false);
  });
});

describe('parseHostSessionMessage', () => {
  it('reads the session ID from the JSON string hosts send', () => {
    expect(parseHostSessionMessage(message('abc-123_~.+/=='))).toBe('abc-123_~.+/==');
  });

  it('reads it from an object too', () => {
    expect(parseHostSessionMessage({ message_id: 'session_id', data: { session_id: 'abc' } })).toBe('abc');
  });

  it('accepts exactly maxLength characters', () => {
    expect(parseHostSessionMessage(message('a'.repeat(512)))).toHaveLength(512);
    expect(parseHostSessionMessage(message('a'.repeat(20)), 20)).toHaveLength(20);
  });

  it.each([
    ['a string that is not JSON', '{"message_id":"session_id",'],
    ['another message_id', JSON.stringify({ message_id: 'ready', data: { session_id: 'abc' } })],
    ['no data', JSON.stringify({ message_id: 'session_id' })],
    ['a session ID that is a number', message(42)],
    ['an empty session ID', message('')],
    ['a session ID with a space', message('abc def')],
    ['a session ID with CR LF', message('abc\r\nX-Injected: 1')],
    ['a session ID with a quote', message('abc"def')],
    ['a session ID with "=" inside', message('ab=cd')],
    ['a session ID with non-ASCII', message('abcé')],
    ['a session ID longer than 512', message('a'.repeat(513))],
    ['a huge string', message('a'.repeat(100_000))],
    ['null', null],
    ['an array', ['session_id']],
  ])('refuses %s as TV_MALFORMED_MESSAGE', (_name, data) => {
    expect(failure(() => parseHostSessionMessage(data)).code).toBe('TV_MALFORMED_MESSAGE');
  });

  it('refuses an ID longer than a smaller maxLength', () => {
    expect(failure(() => parseHostSessionMessage(message('a'.repeat(21)), 20)).message).toContain('20');
  });

  it('never puts the session ID into its error message', () => {
    expect(failure(() => parseHostSessionMessage(message('secret value'))).message).not.toContain('secret');
  });
});

describe('hostSessionMessage', () => {
  it('builds the JSON string the embedded side parses back', () => {
    expect(hostSessionMessage('abc')).toBe('{"message_id":"session_id","data":{"session_id":"abc"}}');
    expect(parseHostSessionMessage(hostSessionMessage('abc'))).toBe('abc');
  });

  it('refuses an ID the embedded side would refuse', () => {
    expect(failure(() => hostSessionMessage('abc def')).code).toBe('TV_INVALID_ARGUMENT');
  });
});

describe('the direct handoff (host → proxy frame)', () => {
  it('builds the message the proxy parses back', () => {
    const message = hostHandoffMessage('abc-123');
    expect(message).toEqual({ v: PROTOCOL_VERSION, type: 'host-session', sessionId: 'abc-123' });
    expect(looksLikeHostHandoff(message)).toBe(true);
    expect(parseMessage(HostHandoffSchemas, message).sessionId).toBe('abc-123');
  });

  it('refuses to build one with an ID the proxy would refuse (TV_INVALID_ARGUMENT)', () => {
    expect(failure(() => hostHandoffMessage('abc def')).code).toBe('TV_INVALID_ARGUMENT');
    expect(failure(() => hostHandoffMessage('')).code).toBe('TV_INVALID_ARGUMENT');
  });

  it.each([
    ['an ID with CR LF', { v: PROTOCOL_VERSION, type: 'host-session', sessionId: 'a\r\nb' }, 'TV_MALFORMED_MESSAGE'],
    ['an ID over 4096 characters', { v: PROTOCOL_VERSION, type: 'host-session', sessionId: 'a'.repeat(4097) }, 'TV_MALFORMED_MESSAGE'],
    ['an extra field', { v: PROTOCOL_VERSION, type: 'host-session', sessionId: 'abc', header: 'cookie' }, 'TV_MALFORMED_MESSAGE'],
    ['another version', { v: 'tokenvault/2', type: 'host-session', sessionId: 'abc' }, 'TV_VERSION_MISMATCH'],
    ["the seed's JSON string", hostSessionMessage('abc'), 'TV_MALFORMED_MESSAGE'],
  ])('the proxy refuses %s', (_name, data, code) => {
    expect(failure(() => parseMessage(HostHandoffSchemas, data)).code).toBe(code);
  });

  it('tells what only claims to be a handoff from what does not (before any check of its sender)', () => {
    expect(looksLikeHostHandoff({ type: 'host-session' })).toBe(true);
    expect(looksLikeHostHandoff({ v: PROTOCOL_VERSION, type: 'connect', role: 'page' })).toBe(false);
    expect(looksLikeHostHandoff(hostSessionMessage('abc'))).toBe(false);
    expect(looksLikeHostHandoff(null)).toBe(false);
  });
});

describe('parseFromProxy (what the host page receives from a proxy frame)', () => {
  it('reads host-ready, host-session-taken and host-session-refused', () => {
    expect(parseFromProxy({ v: PROTOCOL_VERSION, type: 'host-ready' }).type).toBe('host-ready');
    expect(parseFromProxy({ v: PROTOCOL_VERSION, type: 'host-session-taken' }).type).toBe('host-session-taken');
    expect(parseFromProxy({ v: PROTOCOL_VERSION, type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED', message: '' })).toMatchObject({ error: 'TV_ORIGIN_REJECTED' });
  });

  it.each([
    ['an unknown type', { v: PROTOCOL_VERSION, type: 'host-session' }, 'TV_MALFORMED_MESSAGE'],
    ['an extra field', { v: PROTOCOL_VERSION, type: 'host-ready', sessionId: 'abc' }, 'TV_MALFORMED_MESSAGE'],
    ['an error code outside the catalog', { v: PROTOCOL_VERSION, type: 'host-session-refused', error: 'NOPE', message: '' }, 'TV_MALFORMED_MESSAGE'],
    ['another version', { v: 'tokenvault/2', type: 'host-ready' }, 'TV_VERSION_MISMATCH'],
    ['a string', HOST_READY_MESSAGE, 'TV_MALFORMED_MESSAGE'],
  ])('refuses %s', (_name, data, code) => {
    expect(failure(() => parseFromProxy(data)).code).toBe(code);
  });
});
