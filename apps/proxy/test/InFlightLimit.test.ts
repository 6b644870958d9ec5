import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../src/InFlightLimit.js';
import { failure } from './helpers.js';

/** A task that runs until `finish()` is called, recording how many ran at once. */
function gate(seen: { now: number; most: number }) {
  let finish = (): void => {};
  const task = async (): Promise<string> => {
    seen.now++;
    seen.most = Math.max(seen.most, seen.now);
    await new Promise<void>((resolve) => (finish = resolve));
    seen.now--;
    return 'done';
  };
  return {
    task,
    finish: () => {
      finish();
    },
  };
}

describe('InFlightLimit', () => {
  it('runs at most max tasks at once, the rest in order as places free up; every task gets its result', async () => {
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(2);
    const gates = Array.from({ length: 5 }, () => gate(seen));
    const order: number[] = [];
    const results = gates.map((g, i) => limit.run(async () => (order.push(i), g.task())));
    await Promise.resolve();
    expect(limit.load).toEqual({ running: 2, waiting: 3 });
    for (const g of gates) {
      await expect.poll(() => order.length >= Math.min(gates.indexOf(g) + 2, 5)).toBe(true);
      g.finish();
    }
    expect(await Promise.all(results)).toEqual(Array(5).fill('done'));
    expect(seen.most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(limit.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a failing task frees its place', async () => {
    const limit = new InFlightLimit(1);
    expect(await failure(limit.run(() => Promise.reject(new Error('boom'))))).toContain('boom');
    expect(await limit.run(async () => 'next')).toBe('next');
  });

  it('a task aborted while it waits leaves the queue with TV_ABORTED and never runs', async () => {
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(1);
    const first = gate(seen);
    const running = limit.run(first.task);
    const controller = new AbortController();
    let ran = false;
    const queued = limit.run(async () => void (ran = true), controller.signal);
    controller.abort();
    expect(await failure(queued)).toBe('TV_ABORTED');
    expect(limit.load).toEqual({ running: 1, waiting: 0 });
    first.finish();
    await running;
    expect(ran).toBe(false);
    expect(limit.load).toEqual({ running: 0, waiting: 0 });
  });
});
