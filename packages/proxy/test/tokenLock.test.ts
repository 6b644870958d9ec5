import { describe, expect, it } from 'vitest';
import { tokenLock } from '../src/tokens/tokenLock.js';

// Node has no Web Locks (navigator.locks): this is the in-realm queue. The browser's cross-tab
// lock is proven by the e2e suites (two tabs refreshing once).

describe('tokenLock: one task at a time', () => {
  it('runs tasks one after the other, in the order they came', async () => {
    const exclusive = tokenLock();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
      return name;
    };
    expect(await Promise.all([exclusive(task('a', 20)), exclusive(task('b', 1)), exclusive(task('c', 5))])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });
  it('frees the lock when a task fails, and the failure reaches its caller only', async () => {
    const exclusive = tokenLock();
    const failed = exclusive(async () => {
      throw new Error('refresh failed');
    });
    const next = exclusive(async () => 'next');
    await expect(failed).rejects.toThrow('refresh failed');
    expect(await next).toBe('next');
  });
});
