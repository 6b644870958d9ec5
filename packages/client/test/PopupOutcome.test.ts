import { PROTOCOL_VERSION, VaultError, type EventMessage } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { PopupOutcome } from '../src/PopupOutcome.js';

// Which popup sign-in an event from the proxy settles: its own flow's outcome, and nothing else.

const FLOW = 'a'.repeat(43);
const OTHER = 'b'.repeat(43);
const event = (name: EventMessage['name'], extra: Partial<EventMessage> = {}): EventMessage => ({ v: PROTOCOL_VERSION, type: 'event', name, ...extra });

/** A sign-in waiting with flow `flow` (null: its request not answered yet), and what it settled with. */
function waiting(outcomes: PopupOutcome, flow: string | null = FLOW) {
  const settled: { error?: VaultError }[] = [];
  const handle = outcomes.wait((error) => settled.push(error ? { error } : {}));
  if (flow !== null) handle.flow = flow;
  return { handle, settled };
}

describe('PopupOutcome: a popup sign-in settles on its own flow only', () => {
  it("another tab's signed-in (no flow), another flow's signed-in, a renewal's error: nothing settles", () => {
    const outcomes = new PopupOutcome();
    const { settled, handle } = waiting(outcomes);
    expect(outcomes.take(event('signed-in'))).toBe(false);
    expect(outcomes.take(event('signed-in', { flow: OTHER }))).toBe(false);
    expect(outcomes.take(event('error', { error: 'TV_SIGN_IN_FAILED' }))).toBe(false);
    expect(outcomes.take(event('error', { error: 'TV_INVALID_STATE', flow: OTHER }))).toBe(false);
    expect(outcomes.take(event('renewed', { flow: FLOW }))).toBe(false);
    expect(settled).toEqual([]);
    expect(outcomes.waits(handle)).toBe(true);
  });

  it("its own flow's signed-in resolves it, once", () => {
    const outcomes = new PopupOutcome();
    const { settled, handle } = waiting(outcomes);
    expect(outcomes.take(event('signed-in', { flow: FLOW }))).toBe(true);
    expect(outcomes.take(event('signed-in', { flow: FLOW }))).toBe(false);
    expect(settled).toEqual([{}]);
    expect(outcomes.waits(handle)).toBe(false);
  });

  it("its own flow's error rejects it with that typed error", () => {
    const outcomes = new PopupOutcome();
    const { settled } = waiting(outcomes);
    expect(outcomes.take(event('error', { error: 'TV_INVALID_STATE', message: 'x', flow: FLOW }))).toBe(true);
    expect(settled).toHaveLength(1);
    expect(settled[0]?.error).toBeInstanceOf(VaultError);
    expect(settled[0]?.error?.code).toBe('TV_INVALID_STATE');
  });

  it('before the proxy named its flow, no event settles it', () => {
    const outcomes = new PopupOutcome();
    const { settled } = waiting(outcomes, null);
    expect(outcomes.take(event('signed-in', { flow: FLOW }))).toBe(false);
    expect(outcomes.take(event('error', { error: 'TV_SIGN_IN_FAILED' }))).toBe(false);
    expect(settled).toEqual([]);
  });

  it('a second sign-in supersedes the first: the first rejects TV_SIGN_IN_CANCELLED at once, and the outcome of its flow no longer settles anything', () => {
    const outcomes = new PopupOutcome();
    const first = waiting(outcomes, FLOW);
    const second = waiting(outcomes, OTHER);
    expect(first.settled).toHaveLength(1);
    expect(first.settled[0]?.error?.code).toBe('TV_SIGN_IN_CANCELLED');
    expect(outcomes.waits(first.handle)).toBe(false);
    expect(outcomes.take(event('signed-in', { flow: FLOW }))).toBe(false);
    expect(second.settled).toEqual([]);
    expect(outcomes.take(event('signed-in', { flow: OTHER }))).toBe(true);
    expect(second.settled).toEqual([{}]);
  });

  it('settle() ends the waiting sign-in from this side (its time limit), and a superseded one not again', () => {
    const outcomes = new PopupOutcome();
    const first = waiting(outcomes);
    const second = waiting(outcomes, OTHER);
    first.handle.settle(new VaultError('TV_SIGN_IN_TIMEOUT'));
    expect(first.settled).toHaveLength(1);
    expect(second.settled).toEqual([]);
    second.handle.settle(new VaultError('TV_SIGN_IN_TIMEOUT'));
    expect(second.settled[0]?.error?.code).toBe('TV_SIGN_IN_TIMEOUT');
    expect(outcomes.take(event('signed-in', { flow: OTHER }))).toBe(false);
    expect(second.settled).toHaveLength(1);
  });
});
