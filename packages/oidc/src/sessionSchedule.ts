import type { SessionWatchState } from './SessionWatch.js';

/**
 * Where the monitor goes when it schedules its next check: nowhere once stopped, `paused` while the
 * page is hidden (the page's return schedules again), `running` otherwise — the one state in which
 * the timer of the next check is started.
 *
 * @example
 * ```ts
 * this.state = onSchedule(this.state, document.visibilityState === 'hidden')
 * if (this.state === 'running') this.timer = setTimeout(check, delayMs)
 * ```
 */
export function onSchedule(state: SessionWatchState, hidden: boolean): SessionWatchState {
  return state === 'stopped' ? state : hidden ? 'paused' : 'running';
}

/**
 * What a change of the page's visibility does: hidden, only a waiting timer is cancelled (a check
 * or re-check under way, `checking`, finishes, then pauses); visible again, a paused monitor checks
 * at once. `null`: nothing to do.
 *
 * @example
 * ```ts
 * const step = onVisibility(this.state, document.visibilityState === 'hidden', pending !== null)
 * ```
 */
export function onVisibility(state: SessionWatchState, hidden: boolean, checking: boolean): 'pause' | 'resume' | null {
  if (hidden) return state === 'running' && !checking ? 'pause' : null;
  return state === 'paused' ? 'resume' : null;
}
