import { describe, expect, it } from 'vitest';
import { OP_ENDPOINT_FIELDS, OP_ENDPOINT_KINDS, isOpEndpoints } from '../src/OpEndpoints.js';

describe('isOpEndpoints', () => {
  it('accepts the shape and refuses unknown kinds or non-URLs', () => {
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'https://op.example.com/token' })).toBe(true);
    expect(isOpEndpoints({ issuer: 'https://op.example.com' })).toBe(false);
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'https://op.example.com/token', keys: 'https://op.example.com/j' })).toBe(false);
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'nope' })).toBe(false);
    expect(isOpEndpoints(null)).toBe(false);
  });
});

describe('OP_ENDPOINT_KINDS', () => {
  it('lists every kind of OP_ENDPOINT_FIELDS, in its order', () => {
    expect(OP_ENDPOINT_KINDS).toEqual(Object.keys(OP_ENDPOINT_FIELDS));
  });
});
