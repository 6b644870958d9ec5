/**
 * Percent-decodes a path; null when its escapes are not UTF-8 (overlong forms and encoded
 * surrogates included) or a `%` is not followed by two hex digits. Its own module (not exported by
 * the package) so that its unit test can compare it with the bytewise decoder it replaced.
 */
export function decodedPath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}
