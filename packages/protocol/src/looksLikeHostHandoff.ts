// Apart from hostSession.ts, whose valibot schemas the proxy frame does not load at start.

/**
 * True for anything that claims to be a host handoff (before any check of who sent it).
 *
 * @example
 * ```ts
 * if (looksLikeHostHandoff(event.data)) return
 * ```
 */
export function looksLikeHostHandoff(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'host-session';
}
