import * as v from 'valibot';
import { VaultError } from './errors.js';
import { versioned } from './version.js';

// The check of every message the proxy takes from another origin, apart from the schemas of those
// messages: the proxy frame checks a connect message at start and loads the request schemas
// (messages.ts) with the first request.

/**
 * Schemas for a message, one per `type`: {@link parseMessage} picks the one its `type` names, so an
 * unknown type is refused before any field is looked at.
 */
export type SchemasByType = Record<string, v.GenericSchema>;

/**
 * Checks a message against the schema of its type, version first. Throws `TV_VERSION_MISMATCH` when
 * the version differs and `TV_MALFORMED_MESSAGE` (naming the first wrong field) when the type is
 * unknown or the shape is wrong.
 *
 * @example
 * ```ts
 * const msg = parseMessage(ProxyRequestSchemas, event.data)
 * ```
 */
export function parseMessage<S extends SchemasByType>(schemas: S, data: unknown): v.InferOutput<S[keyof S]> {
  const message = versioned(data);
  const { type } = message;
  const schema = typeof type === 'string' && Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  const result = schema ? v.safeParse(schema, message) : undefined;
  if (!result?.success) {
    const issue = result?.issues[0];
    // The path of the first wrong field, in production too: it is what a bug report needs.
    const path = issue ? (issue.path?.map((item) => String(item.key)).join('.') ?? '') : 'type';
    throw new VaultError('TV_MALFORMED_MESSAGE', path ? { why: 'malformedAt', path, expected: issue?.expected ?? '?' } : { why: 'malformedType', type: String(type).slice(0, 32) });
  }
  return result.output;
}
