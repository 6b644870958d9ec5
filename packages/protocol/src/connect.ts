import { checkMessage, type Checks } from './check.js';
import { versioned, type PROTOCOL_VERSION } from './version.js';

// The connect message is checked with the protocol's own checker (check.ts), not valibot: the proxy
// frame checks it at start, and the bundler places valibot whole (one module) in any chunk that
// uses it at all, so a schema here put every valibot function of the proxy into the frame's first
// chunk (7.3 KB minified). The requests on the port (messages.ts) keep their valibot schemas,
// loaded with the first request.

/** Page or worker → proxy window, with one transferred MessagePort: "talk to me on this port". */
export interface ConnectMessage {
  /** The protocol version (`PROTOCOL_VERSION`). */
  v: typeof PROTOCOL_VERSION;
  /** Always `"connect"`. */
  type: 'connect';
  /** Who connects: a `page` of the app or its `worker` (the interceptor). */
  role: 'page' | 'worker';
}

const CONNECT: Record<ConnectMessage['type'], Checks> = {
  connect: { role: (value) => value === 'page' || value === 'worker' },
};

/**
 * Checks a connect message: version first (`TV_VERSION_MISMATCH`), then its type and fields, no
 * others (`TV_MALFORMED_MESSAGE`).
 *
 * @example
 * ```ts
 * const { role } = parseConnect(event.data)
 * ```
 */
export function parseConnect(data: unknown): ConnectMessage {
  return checkMessage<ConnectMessage>(versioned(data), CONNECT, true);
}
