import { describe, expect, it } from 'vitest';
import { StreamGates } from '../src/StreamGates.js';

describe('StreamGates', () => {
  it('holds a response until its gate is opened, and says that it waits', async () => {
    const gates = new StreamGates();
    let passed = false;
    const waiting = gates.wait('s1', new AbortController().signal).then(() => (passed = true));
    expect(gates.isWaiting('s1')).toBe(true);
    expect(gates.isWaiting('other')).toBe(false);
    await Promise.resolve();
    expect(passed).toBe(false);
    gates.open('s1');
    await waiting;
    expect(passed).toBe(true);
    expect(gates.isWaiting('s1')).toBe(false);
  });

  it('a gate opened before the response gets there does not hold it', async () => {
    const gates = new StreamGates();
    gates.open('s2');
    await gates.wait('s2', new AbortController().signal);
    expect(gates.isWaiting('s2')).toBe(false);
  });

  it('a response whose page went away is let go', async () => {
    const gates = new StreamGates();
    const abort = new AbortController();
    const waiting = gates.wait('s3', abort.signal);
    abort.abort();
    await waiting;
    expect(gates.isWaiting('s3')).toBe(false);
  });
});
