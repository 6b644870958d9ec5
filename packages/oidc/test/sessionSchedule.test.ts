import { describe, expect, it } from 'vitest';
import { onSchedule, onVisibility } from '../src/sessionSchedule.js';

describe('onSchedule: where the monitor goes when it schedules a check', () => {
  it('runs (and starts the timer) while the page is visible', () => {
    expect(onSchedule('running', false)).toBe('running');
    expect(onSchedule('rechecking', false)).toBe('running');
    expect(onSchedule('paused', false)).toBe('running');
  });
  it('pauses while the page is hidden', () => {
    expect(onSchedule('running', true)).toBe('paused');
    expect(onSchedule('rechecking', true)).toBe('paused');
  });
  it('stays stopped once stopped, hidden or not', () => {
    expect(onSchedule('stopped', false)).toBe('stopped');
    expect(onSchedule('stopped', true)).toBe('stopped');
  });
});

describe('onVisibility: what the page’s visibility changes', () => {
  it('hidden while waiting for the next check: pauses', () => {
    expect(onVisibility('running', true, false)).toBe('pause');
  });
  it('hidden during a check: lets it finish (it pauses when it schedules the next)', () => {
    expect(onVisibility('running', true, true)).toBeNull();
  });
  it('hidden during a re-check, or when not running: nothing', () => {
    expect(onVisibility('rechecking', true, false)).toBeNull();
    expect(onVisibility('stopped', true, false)).toBeNull();
    expect(onVisibility('idle', true, false)).toBeNull();
  });
  it('visible again after a pause: resumes (checks at once)', () => {
    expect(onVisibility('paused', false, false)).toBe('resume');
  });
  it('visible while running, stopped or re-checking: nothing', () => {
    expect(onVisibility('running', false, false)).toBeNull();
    expect(onVisibility('stopped', false, false)).toBeNull();
    expect(onVisibility('rechecking', false, false)).toBeNull();
  });
});
