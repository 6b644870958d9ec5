import { describe, expect, it } from 'vitest';
import { checkSessionAnswer } from '../src/checkSessionAnswer.js';

// The windows are stand-ins: the function compares identities, and the e2e session suites prove
// the real frames (session.spec.ts: a page on another origin saying "changed" is ignored).
const frame = {} as MessageEventSource;
const other = {} as MessageEventSource;
const OP = 'https://op.example.com';
const event = (data: unknown, source: MessageEventSource | null = frame, origin = OP) => ({ data, source, origin });

describe('checkSessionAnswer: only the check frame’s own answers count', () => {
  it.each(['changed', 'unchanged', 'error'])('takes "%s" from the frame’s window at the OP origin', (answer) => {
    expect(checkSessionAnswer(event(answer), frame, OP)).toBe(answer);
  });
  it('ignores another window at the OP origin', () => {
    expect(checkSessionAnswer(event('changed', other), frame, OP)).toBeNull();
  });
  it('ignores the frame’s window at another origin (navigated away)', () => {
    expect(checkSessionAnswer(event('changed', frame, 'https://evil.example.com'), frame, OP)).toBeNull();
  });
  it('ignores a message without a source', () => {
    expect(checkSessionAnswer(event('changed', null), frame, OP)).toBeNull();
  });
  it('ignores everything once the frame is gone', () => {
    expect(checkSessionAnswer(event('changed', null), null, OP)).toBeNull();
  });
  it.each([['CHANGED'], ['changed '], [{ answer: 'changed' }], [1], [null]])('ignores the answer %j, which the specification does not name', (data) => {
    expect(checkSessionAnswer(event(data), frame, OP)).toBeNull();
  });
});
