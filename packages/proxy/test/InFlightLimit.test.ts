import { afterEach, describe, expect, it, vi } from 'vitest';
import { InFlightLimit } from '../src/network/InFlightLimit.js';
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
    const limit = new InFlightLimit(2, 60_000);
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
    const limit = new InFlightLimit(1, 60_000);
    expect(await failure(limit.run(() => Promise.reject(new Error('boom'))))).toContain('boom');
    expect(await limit.run(async () => 'next')).toBe('next');
  });

  it('a task aborted while it waits leaves the queue with TV_ABORTED and never runs', async () => {
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(1, 60_000);
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

describe('InFlightLimit: the queue signal and the queue limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a task that waits hears 'queued' (with the limit) at once and 'started' when it runs; one that starts at once hears nothing", async () => {
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(1, 60_000);
    const first = gate(seen);
    const heardFirst: string[] = [];
    const running = limit.run(first.task, undefined, (state) => heardFirst.push(state));
    const heard: [string, number][] = [];
    let ran = false;
    const queued = limit.run(
      async () => ((ran = true), heard.length),
      undefined,
      (state, waitMs) => heard.push([state, waitMs]),
    );
    expect(heard).toEqual([['queued', 60_000]]);
    expect(ran).toBe(false);
    await expect.poll(() => seen.now).toBe(1);
    first.finish();
    // 'started' comes before the task runs: the page's limit for the answer counts from there.
    expect(await queued).toBe(2);
    expect(heard).toEqual([
      ['queued', 60_000],
      ['started', 60_000],
    ]);
    await running;
    expect(heardFirst).toEqual([]);
  });

  it('a task that waits longer than maxWaitMs leaves the queue with TV_QUEUE_TIMEOUT, never runs, and the queue goes on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(1, 1_000);
    const first = gate(seen);
    const running = limit.run(first.task);
    let ran = false;
    const heard: string[] = [];
    const starved = failure(
      limit.run(
        async () => void (ran = true),
        undefined,
        (state) => heard.push(state),
      ),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(limit.load).toEqual({ running: 1, waiting: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(await starved).toBe('TV_QUEUE_TIMEOUT');
    expect(heard).toEqual(['queued']);
    expect(limit.load).toEqual({ running: 1, waiting: 0 });
    // A later task waits its own full limit and runs when the place frees up.
    const later = limit.run(async () => 'later');
    await vi.advanceTimersByTimeAsync(900);
    expect(seen.now).toBe(1);
    first.finish();
    expect(await later).toBe('later');
    await running;
    expect(ran).toBe(false);
    expect(limit.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a task that starts in time is not failed by its queue timer later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen = { now: 0, most: 0 };
    const limit = new InFlightLimit(1, 1_000);
    const first = gate(seen);
    const running = limit.run(first.task);
    const second = gate(seen);
    const waiting = limit.run(second.task);
    await vi.advanceTimersByTimeAsync(500);
    expect(seen.now).toBe(1);
    first.finish();
    await running;
    // The second runs now; its place in the queue is gone, and its timer with it.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen.now).toBe(1);
    second.finish();
    expect(await waiting).toBe('done');
  });
});
