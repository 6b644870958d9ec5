import { describe, expect, it } from 'vitest';
import { jwtPayload } from '../src/jwtPayload.js';

const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('jwtPayload', () => {
  it('reads the payload of a JWT, UTF-8 included', () => {
    expect(jwtPayload(jwt({ sub: 'alice', name: 'Ålice' }))).toEqual({ sub: 'alice', name: 'Ålice' });
  });

  it.each([
    ['not a string', 42],
    ['no payload part', 'header-only'],
    ['a payload that is not base64url JSON', 'e30.%%%.sig'],
    ['a payload that is an array', jwt(['sub'])],
    ['a payload that is null', jwt(null)],
  ])('gives null for %s', (_name, value) => {
    expect(jwtPayload(value)).toBeNull();
  });
});
