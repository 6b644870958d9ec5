import { createStore, type UseStore } from 'idb-keyval';

// The proxy origin's IndexedDB stores (idb-keyval), the one place their names are written. Each
// handle is made on first use and shared by every user in this frame; idb-keyval opens its
// database on the first read or write, and opens it again after the browser closed it.

let vault: UseStore | undefined;
let tickets: UseStore | undefined;
let session: UseStore | undefined;

/** The tokens (TokenStore) and the DPoP key they are bound to (DpopKey): database `tokenvault`. */
export function vaultStore(): UseStore {
  vault ??= createStore('tokenvault', 'tokens');
  return vault;
}

/** The redirect sign-in's one-time tickets (SignInTickets): database `tokenvault-sign-in`. */
export function ticketStore(): UseStore {
  tickets ??= createStore('tokenvault-sign-in', 'tickets');
  return tickets;
}

/** The `session_state` of the last sealed sign-in (sessionState): database `tokenvault-session`. */
export function sessionStateStore(): UseStore {
  session ??= createStore('tokenvault-session', 'session');
  return session;
}
