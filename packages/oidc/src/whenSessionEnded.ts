/**
 * What the OP's refresh endpoint says of the vault's grant: `alive` (a refresh succeeded), `dead`
 * (`invalid_grant` or another refusal: the vault has signed out).
 */
export type GrantState = 'alive' | 'dead';

/** After a `prompt=none` re-check answered that there is no session: sign out, or stop watching a session the frames cannot see. */
export type WhenSessionEnded = 'sign-out' | 'blind';

/**
 * Tells a real sign-out at the OP apart from frames that cannot see the OP's cookies (third-party
 * cookies blocked, as Chromium ships; partitioned, as Firefox and WebKit do). Both look the same to
 * the frames: the check answers `changed`, the `prompt=none` re-check `login_required`. A frame
 * that has answered `unchanged` once for this sign-in could see the cookies: then the session
 * really ended. One that never did may be blind: the OP's own word on the grant decides — a
 * refresh it honours means the sign-in is alive there (`blind`: keep the tokens, stop watching); a
 * refusal means it is gone (`sign-out`).
 *
 * `grant` is asked only when needed (it costs a refresh).
 *
 * @example
 * ```ts
 * const step = await whenSessionEnded(seenUnchanged, () => probeRefresh())
 * if (step === 'blind') stopWatching('op-cookies-not-visible')
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export async function whenSessionEnded(seenUnchanged: boolean, grant: () => Promise<GrantState>): Promise<WhenSessionEnded> {
  if (seenUnchanged) return 'sign-out';
  return (await grant()) === 'alive' ? 'blind' : 'sign-out';
}
