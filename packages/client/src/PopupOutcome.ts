import { VaultError, type EventMessage } from '@tokenvault/protocol';

/** One popup sign-in of this page, waiting for its outcome (see {@link PopupOutcome}). */
export interface WaitingSignIn {
  /** Its flow id, set once the proxy's answer to its `sign-in` request named it: from then on, the event that names it settles it. */
  flow?: string;
  /** Settles it from this side (its time limit, its window closed): once, and only while it waits. */
  settle: (error?: VaultError) => void;
  /** Its sign-in window, closed if the vault is closed while it waits ({@link PopupOutcome.end}). */
  window?: Window;
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
 * waiting.flow = (await port.request({ type: 'sign-in' })).flow
 * // for each event from the proxy:
 * outcomes.take(event)
 * ```
 */
export class PopupOutcome {
  #current: WaitingSignIn | null = null;

  /**
   * Waits for a new popup sign-in's outcome: `settle()` on its success, `settle(error)` on its
   * typed error; called once at most. A sign-in still waiting is superseded first.
   */
  wait(settle: (error?: VaultError) => void): WaitingSignIn {
    this.#current?.settle(new VaultError('TV_SIGN_IN_CANCELLED', { why: 'superseded' }));
    const waiting: WaitingSignIn = {
      settle: (error) => {
        if (this.#current !== waiting) return;
        this.#current = null;
        settle(error);
      },
    };
    return (this.#current = waiting);
  }

  /** Whether `waiting` still waits (not settled, not superseded): the sign-in window is its own only then. */
  waits(waiting: WaitingSignIn): boolean {
    return this.#current === waiting;
  }

  /**
   * The vault is closed (`vault.close()`): the waiting sign-in, if any, can no longer hear its
   * outcome, so its window is closed and it rejects with `error` at once, not at its time limit.
   */
  end(error: VaultError): void {
    const current = this.#current;
    current?.window?.close();
    current?.settle(error);
  }

  /**
   * An event from the proxy (its flow id checked at the port): settles the waiting sign-in when it
   * is that sign-in's outcome, a `signed-in` or `error` naming its flow. Anything else settles
   * nothing. Returns whether it did.
   */
  take(event: EventMessage): boolean {
    const current = this.#current;
    if (current?.flow === undefined || event.flow !== current.flow || (event.name !== 'signed-in' && event.name !== 'error')) return false;
    current.settle(event.name === 'error' ? new VaultError(event.error ?? 'TV_SIGN_IN_FAILED', event.message) : undefined);
    return true;
  }
}
