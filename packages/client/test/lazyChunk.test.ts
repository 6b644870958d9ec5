import { describe, expect, it } from 'vitest';
import { lazyChunk } from '../src/lazyChunk.js';

describe('lazyChunk: a part of the client loaded on first use', () => {
  it('loads once when two calls ask at the same time (two sign-ins load one chunk)', async () => {
    let imports = 0;
    const chunk = lazyChunk(async () => {
      imports += 1;
      await Promise.resolve();
      return { signIn: 'calls' };
    });
    expect(chunk.loaded).toBeUndefined();
    const [a, b] = await Promise.all([chunk.load(), chunk.load()]);
    expect(imports).toBe(1);
    expect(a).toBe(b);
    expect(chunk.loaded).toBe(a);
    await chunk.load();
    expect(imports).toBe(1);
  });

  it('tries a chunk that failed to load again on the next call, and both callers of the failed load see its error', async () => {
    let imports = 0;
    const failure = new TypeError('Failed to fetch dynamically imported module');
    const chunk = lazyChunk(() => {
      imports += 1;
      return imports === 1 ? Promise.reject(failure) : Promise.resolve('calls');
    });
    const first = await Promise.allSettled([chunk.load(), chunk.load()]);
    expect(first).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect(imports).toBe(1);
    expect(chunk.loaded).toBeUndefined();
    await expect(chunk.load()).resolves.toBe('calls');
    expect(imports).toBe(2);
    expect(chunk.loaded).toBe('calls');
  });
});
