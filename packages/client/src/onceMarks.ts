/**
 * Marks in sessionStorage that keep the client from reloading a tab more than once for the same
 * reason. Where the browser denies the page its storage (every access throws: cookies blocked for
 * the site, or an embedding that gets no storage), a mark cannot be kept, so it counts as set:
 * without a memory, the client never reloads.
 */
export const onceMarks = {
  has(key: string): boolean {
    try {
      return sessionStorage.getItem(key) !== null;
    } catch {
      return true;
    }
  },
  set(key: string): void {
    try {
      sessionStorage.setItem(key, '1');
    } catch {
      // Denied: `has` answers true anyway.
    }
  },
  clear(key: string): void {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Denied: there is nothing to clear.
    }
  },
};
