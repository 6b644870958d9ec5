import { VaultError, isFlowId, type EventMessage } from '@tokenvault/protocol';

/** One popup sign-in of this page, waiting for its outcome (see {@link PopupOutcome}). */
export interface WaitingSignIn {
  /** Whether it still waits: not settled, not superseded. */
  readonly active: boolean;
  /** The proxy's answer to its `sign-in` request named its flow: from now on, the event that names it settles it. */
  named(flow: string): void;
}

/**
 * Which popup sign-in of this page an outcome from the proxy belongs to. The proxy mints a flow id
 * for each popup sign-in and names it in that sign-in's outcome, `signed-in` or `error`, which it
 * sends to the asking page only; every other `signed-in` (another tab's sign-in, redirect or
 * popup) and every other `error` (a renewal's, a session check's, a response of no sign-in) names
 * none. A sign-in settles on its own flow's outcome and nothing else.
 *
 * One sign-in window per page: the app reuses the named window, so a new sign-in takes it over,
 * and the one before rejects with `TV_SIGN_IN_CANCELLED` (`superseded`) at once (the proxy forgets
 * its state at the same time).
 *
 * @example
 * ```ts
 * const outcomes = new PopupOutcome()
 * const waiting = outcomes.wait((error) => (error ? reject(error) : resolve()))
 * waiting.named((await port.request({ type: 'sign-in' })).flow)
 * // for each event from the proxy:
 * outcomes.take(event)
 * ```
 */
export class PopupOutcome {
  #current: { flow: string | null; settle: (error?: VaultError) => void } | null = null;

  /**
   * Waits for a new popup sign-in's outcome: `settle()` on its success, `settle(error)` on its
   * typed error; called once at most. A sign-in still waiting is superseded first.
   */
  wait(settle: (error?: VaultError) => void): WaitingSignIn {
    this.#current?.settle(new VaultError('TV_SIGN_IN_CANCELLED', { why: 'superseded' }));
    const entry = {
      flow: null as string | null,
      settle: (error?: VaultError): void => {
        if (!current()) return;
        this.#current = null;
        settle(error);
      },
    };
    const current = (): boolean => this.#current === entry;
    this.#current = entry;
    return {
      get active() {
        return current();
      },
      named(flow) {
        if (current()) entry.flow = flow;
      },
    };
  }

  /** Ends the waiting sign-in from this side (its time limit, its window closed): `settle(error)`. */
  end(waiting: WaitingSignIn, error?: VaultError): void {
    if (waiting.active) this.#current?.settle(error);
  }

  /**
   * An event from the proxy: settles the waiting sign-in when it is that sign-in's outcome (a
   * `signed-in` or `error` naming its flow). Anything else settles nothing. Returns whether it did.
   */
  take(event: EventMessage): boolean {
    const current = this.#current;
    if (!current || current.flow === null || !isFlowId(event.flow) || event.flow !== current.flow) return false;
    if (event.name === 'signed-in') current.settle();
    else if (event.name === 'error') current.settle(new VaultError(event.error ?? 'TV_SIGN_IN_FAILED', event.message));
    else return false;
    return true;
  }
}
