// Apart from config.ts: the sealed sign-in checks a scope in the proxy frame, which does not load
// the configuration's checks.

/** A scope parameter (RFC 6749 §3.3) that includes `openid`. */
export function isScope(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1024 && /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(value) && value.split(' ').includes('openid');
}
