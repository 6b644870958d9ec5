import { describe, expect, it } from 'vitest';
import { decodedPath } from '../src/decodedPath.js';
import { ambiguousPath } from '../src/rules.js';

/** The bytewise decoder `decodedPath` replaced, kept here as the reference it must agree with. */
function referenceDecodedPath(path: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const char = path.charCodeAt(i);
    if (char === 0x25 /* % */) {
      bytes.push(Number.parseInt(path.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char < 0x80) {
      bytes.push(char);
    } else {
      bytes.push(...new TextEncoder().encode(path[i]));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

const hex = (byte: number) => `%${byte.toString(16).padStart(2, '0')}`;
const HEX = (byte: number) => hex(byte).toUpperCase();
const allBytes = Array.from({ length: 256 }, (_, byte) => byte);
/** Bytes at the edges of UTF-8's ranges: ASCII, continuation, lead bytes and the invalid ones. */
const edges = [0x00, 0x2e, 0x2f, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];

/** Every path the comparison covers, each in a few surroundings. */
function generatedPaths(): string[] {
  const cores: string[] = [];
  for (const a of allBytes) {
    cores.push(hex(a), HEX(a));
    // Every two-byte sequence: every lead byte with every second byte.
    for (const b of allBytes) cores.push(hex(a) + hex(b));
  }
  // Three- and four-byte sequences: every lead byte from 0xe0, every second byte, edge bytes after.
  for (let a = 0xe0; a <= 0xff; a++) {
    for (const b of allBytes) {
      for (const c of edges) {
        cores.push(hex(a) + hex(b) + hex(c));
        if (a >= 0xf0) for (const d of [0x80, 0xbf, 0xc0]) cores.push(hex(a) + hex(b) + hex(c) + hex(d));
      }
    }
  }
  cores.push(
    '%2F',
    '%2f',
    '%25',
    '%252f',
    '%25%32%66',
    '%5c',
    '%2e%2e',
    '%3b',
    'café',
    'caf%C3%A9',
    'caf%c3%a9',
    'é%A9',
    '%C3é',
    '%E2\u0082',
    '日本',
    '%E6%97%A5本',
    '\u{1F600}',
    '%F0%9F%98%80',
    '\uFEFF',
    '%EF%BB%BF',
    '%ED%A0%80',
    '%ED%9F%BF',
    '%F4%8F%BF%BF',
    '%F4%90%80%80',
  );
  const paths: string[] = [];
  for (const core of cores) paths.push(`/v1/${core}/x`, `/${core}${core}`);
  return paths;
}

/** A `%` not followed by two hex digits; `ambiguousPath` refuses these before it decodes. */
const malformedEscape = /%(?![0-9a-f]{2})/i;
const malformed = ['%', '%4', '/v1/100%', '%g0', '%0g', '%1g', '%u002e', '%%41', '%-1', '%+f', '% 20', '/a%2/b', '%C3%A', '%C3%'];

describe('decodedPath', () => {
  it('agrees with the bytewise decoder it replaced on every well-formed path', () => {
    const paths = generatedPaths();
    expect(paths.length).toBeGreaterThan(500_000);
    let refused = 0;
    for (const path of paths) {
      const expected = referenceDecodedPath(path);
      const actual = decodedPath(path);
      if (expected === null) refused++;
      // Both refuse the same paths, and decode the rest to the same text (the reference reads a
      // raw astral character as two lone surrogates, which it replaces: only null-ness compares there).
      if ((expected === null) !== (actual === null) || (/[\uD800-\uDFFF]/.test(path) ? false : expected !== actual)) {
        expect({ path, actual }).toEqual({ path, actual: expected });
      }
    }
    // The set is not trivial: both outcomes occur many times.
    expect(refused).toBeGreaterThan(100_000);
    expect(paths.length - refused).toBeGreaterThan(10_000);
  }, 120_000);

  it('refuses every malformed escape, which ambiguousPath refused already', () => {
    for (const path of malformed) {
      expect(malformedEscape.test(path), path).toBe(true);
      expect(decodedPath(path), path).toBeNull();
      expect(ambiguousPath(path), path).toBe(true);
    }
  });

  it('refuses overlong forms, encoded surrogates and lone continuation bytes', () => {
    for (const path of ['%c0%ae', '%c0%af', '%e0%80%ae', '%ed%a0%80', '%80', '%f4%90%80%80', '%ff']) {
      expect(decodedPath(path), path).toBeNull();
      expect(referenceDecodedPath(path), path).toBeNull();
    }
    expect(decodedPath('/v1/caf%C3%A9')).toBe('/v1/café');
    expect(decodedPath('/v1/100%25')).toBe('/v1/100%');
  });
});
