/**
 * The value, which the test expects to be there: a missing one fails the test here, by name, rather
 * than as a TypeError a few calls later.
 */
export function defined<T>(value: T): NonNullable<T> {
  if (value === null || value === undefined) throw new Error(`expected a value, got ${String(value)}`);
  return value;
}
