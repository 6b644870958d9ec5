import { del, get, set, type UseStore } from 'idb-keyval';
import { sessionStateStore } from '../shared/stores.js';

// Where a sealed sign-in's `session_state` is kept: written by the sign-in (AuthorizationFlow), read
// by the session watch (SealedSession). A leaf, so that neither imports the other.

/** The key of the `session_state` in its store. */
const SESSION_STATE_KEY = 'session-state';

/** Keeps the `session_state` of a sealed sign-in, for the session monitor of every proxy frame. */
export async function saveSessionState(value: string | null, db: UseStore = sessionStateStore()): Promise<void> {
  if (value === null) await del(SESSION_STATE_KEY, db);
  else await set(SESSION_STATE_KEY, value, db);
}

/** The `session_state` of the stored sign-in, if there is one. */
export function readSessionState(db: UseStore = sessionStateStore()): Promise<string | undefined> {
  return get<string>(SESSION_STATE_KEY, db);
}
