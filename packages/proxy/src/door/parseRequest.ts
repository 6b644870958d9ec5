import { ProxyRequestSchemas, parseMessage, type ProxyRequest } from '@tokenvault/protocol';

// The check of the requests on a connected port (fetch, status, logout, ...), with their valibot
// schemas: a chunk of its own, loaded with a port's first request (see AppPorts), not at start. The
// frame's first chunk checks only the door's messages (parseDoorMessage, without valibot).

/**
 * Checks a request against the protocol's schemas: `TV_VERSION_MISMATCH`, or `TV_MALFORMED_MESSAGE`
 * naming the first wrong field.
 *
 * @example
 * ```ts
 * const message = parseRequest(event.data)
 * ```
 */
export function parseRequest(data: unknown): ProxyRequest {
  return parseMessage(ProxyRequestSchemas, data);
}
