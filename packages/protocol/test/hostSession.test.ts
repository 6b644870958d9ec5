import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/errors.js';
import { HOST_READY_MESSAGE, hostSessionMessage, isHostReadyMessage, parseHostSessionMessage } from '../src/hostSession.js';

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
