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

/**
 * Page → proxy window, without a port: "if you listen, say so again". A page that adopts the proxy
 * frame its HTML started (`data-tokenvault-proxy`) may have missed the frame's `listening`, posted
 * before the page's script ran; the frame answers this with `listening` to the asking origin.
 */
export interface AskListeningMessage {
  /** The protocol version (`PROTOCOL_VERSION`). */
  v: typeof PROTOCOL_VERSION;
  /** Always `"ask-listening"`. */
  type: 'ask-listening';
}

/** What the proxy window takes from the window that embeds it. */
export type DoorMessage = ConnectMessage | AskListeningMessage;

const DOOR: Record<DoorMessage['type'], Checks> = {
  connect: { role: (value) => value === 'page' || value === 'worker' },
  'ask-listening': {},
};

/**
 * Checks a message to the proxy window (a connect, or an ask for `listening`): version first
 * (`TV_VERSION_MISMATCH`), then its type and fields, no others (`TV_MALFORMED_MESSAGE`).
 *
 * @example
 * ```ts
 * const message = parseDoorMessage(event.data)
 * if (message.type === 'connect') serve(event.ports[0], message.role)
 * ```
 */
export function parseDoorMessage(data: unknown): DoorMessage {
  return checkMessage<DoorMessage>(versioned(data), DOOR, true);
}
