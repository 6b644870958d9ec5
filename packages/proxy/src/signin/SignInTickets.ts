import { randomToken, VaultError } from '@tokenvault/protocol';
import { del, entries, get, set, type UseStore } from 'idb-keyval';
import { ticketStore } from '../shared/stores.js';
import type { SignInHints } from './AuthorizationFlow.js';

/** How long a ticket waits for its `/signin` page: the app navigates there at once. */
export const TICKET_TTL_MS = 2 * 60_000;

/** What a ticket carries: the sign-in the app asked its vault for. */
export interface SignInTicket {
  hints: SignInHints;
  /** Where the browser goes back to (already checked against the app origins). */
  returnTo: string;
  expiresAt: number;
}

/**
 * One-time tickets for the redirect sign-in. The proxy frame mints one when the app asks its vault
 * for a sign-in (`vault.signIn()`), keeps it in the proxy origin's IndexedDB, and the app navigates
 * to `/signin?ticket=…`; that page takes it (once) and starts the authorization request with what
 * the ticket says, not with what its URL says. A page of another site that sends the browser to
 * `/signin` has no ticket: nothing is asked of the OP, nothing is stored (sign-in CSRF).
 *
 * The redirect flow needs the frame and the top-level proxy page to share this store (Chromium,
 * Firefox: a same-site frame is not partitioned). WebKit partitions it, and uses the popup flow,
 * whose request is built by the frame itself (PopupSignIn), so no ticket has to cross.
 *
 * @example
 * ```ts
 * const ticket = await tickets.mint({ hints: { prompt: 'login' }, returnTo: 'https://app.example.com/' })
 * // on /signin?ticket=…
 * const started = await tickets.take(new URLSearchParams(location.search).get('ticket'))
 * ```
 */
export class SignInTickets {
  readonly #db: UseStore;
  readonly #now: () => number;

  constructor(db: UseStore = ticketStore(), now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** A new ticket for this sign-in. Expired tickets of abandoned sign-ins are dropped on the way. */
  async mint(ticket: Omit<SignInTicket, 'expiresAt'>): Promise<string> {
    const now = this.#now();
    for (const [key, value] of await entries<string, SignInTicket>(this.#db)) {
      if (value.expiresAt <= now) await del(key, this.#db);
    }
    const id = randomToken();
    await set(id, { ...ticket, expiresAt: now + TICKET_TTL_MS }, this.#db);
    return id;
  }

  /** The ticket's sign-in, used up. Throws `TV_SIGN_IN_NOT_STARTED` for a missing, unknown, used or expired one. */
  async take(id: string | null): Promise<SignInTicket> {
    const refuse = (why: string): never => {
      throw new VaultError('TV_SIGN_IN_NOT_STARTED', { why: 'signInNotStarted', reason: why });
    };
    if (id === null || !/^[\w-]{20,100}$/.test(id)) return refuse('no ticket');
    const ticket = await get<SignInTicket>(id, this.#db);
    if (ticket === undefined) return refuse('unknown or used ticket');
    await del(id, this.#db);
    if (ticket.expiresAt <= this.#now()) return refuse('expired ticket');
    return ticket;
  }
}
