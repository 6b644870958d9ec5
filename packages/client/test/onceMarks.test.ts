import { afterEach, describe, expect, it, vi } from 'vitest';
import { onceMarks } from '../src/onceMarks.js';

afterEach(() => vi.unstubAllGlobals());

describe('onceMarks', () => {
  it('keeps a mark in sessionStorage until it is cleared', () => {
    const items = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    });
    expect(onceMarks.has('m')).toBe(false);
    onceMarks.set('m');
    expect(onceMarks.has('m')).toBe(true);
    onceMarks.clear('m');
    expect(onceMarks.has('m')).toBe(false);
  });

  it('counts a mark as set where the storage is denied, so that nothing reloads without a memory of it', () => {
    const denied = (): never => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    };
    vi.stubGlobal('sessionStorage', { getItem: denied, setItem: denied, removeItem: denied });
    expect(() => {
      onceMarks.set('m');
    }).not.toThrow();
    expect(() => {
      onceMarks.clear('m');
    }).not.toThrow();
    expect(onceMarks.has('m')).toBe(true);
  });
});
