import { isErrorCode, type ErrorCode } from './errors.js';
import type { ProxyReply } from './messages.js';
import { VAULT_EVENT_NAMES } from './events.js';
import { checkMessage, isFlowId, isId, isShortText, isString, type Checks } from './check.js';
import { isOpEndpoints } from './OpEndpoints.js';
import { versioned } from './version.js';

// Guards for the messages that the page and the worker receive: replies from the proxy, body chunks,
// and the page ↔ worker messages. Hand-written rather than schemas, to keep valibot out of the
// bundles that every page of the app and its worker load. Why that is safe:
// - Replies and body chunks arrive on a MessagePort that the page created and handed to the proxy
//   frame, addressed to the proxy origin only (or on a port that the proxy handed back on it): only
//   the proxy can post on them. The proxy is the vault's own code on the vault's own origin; what it
//   says is trusted as much as the page that asked, and more than anything from the app origin.
// - Page ↔ worker messages stay within the app origin (the worker checks `event.origin`, the page
//   that the sender is a ServiceWorker): they carry no more trust than the page itself has.
// So these guards catch bugs and half-rolled-out upgrades, not attackers: they check the version,
// the type and every field that is used, and answer anything else with a typed error. What a
// platform API checks again on use (header pairs in `new Response`) it checks. Input from the app
// origin to the proxy is checked by the schemas in messages.ts.

// Each reply's checks, apart: a port that only fetches (the worker's) takes the table without
// results and events, and ships none of their checks.
const hello: Checks = { endpoints: isOpEndpoints, hostHandoff: (value) => value === undefined || value === 'direct' || value === 'app-window' };
const response: Checks = {
  id: isId,
  status: (value) => Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599,
  statusText: isShortText,
  headers: Array.isArray,
  body: (value) => value === null || value instanceof ArrayBuffer || value instanceof ReadableStream || value instanceof MessagePort,
};
// The proxy's queue limit (timeouts.queueMs), at most the configuration's 600 000.
const queued: Checks = { id: isId, waitMs: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 600_000 };
const started: Checks = { id: isId };
const error: Checks = { id: Number.isSafeInteger, error: isErrorCode, message: isString };
const result: Checks = {
  id: isId,
  signedIn: (value) => typeof value === 'boolean',
  expiresAt: (value) => value === null || typeof value === 'number',
  endSessionUrl: (value) => value === undefined || (isString(value) && URL.canParse(value)),
  // Passed on to the app as they are: their shape, not each value, is checked here.
  revocation: (value) => value === undefined || isString(value),
  revocationStatus: (value) => value === undefined || Number.isInteger(value),
  revocations: (value) => value === undefined || Array.isArray(value),
  storageCleared: (value) => value === undefined || typeof value === 'boolean',
  // A redirect sign-in's one-time ticket: the page puts it into /signin's URL.
  ticket: (value) => value === undefined || isShortText(value),
  // A popup sign-in's flow id: the page settles its signIn() only on the event that names it.
  flow: (value) => value === undefined || isFlowId(value),
  user: (value) => value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value)),
  apis: (value) =>
    value === undefined ||
    (Array.isArray(value) &&
      value.every((entry: unknown) => {
        if (typeof entry !== 'object' || entry === null) return false;
        const { api, expiresAt } = entry as Record<string, unknown>;
        return isShortText(api) && (expiresAt === null || typeof expiresAt === 'number') && Object.keys(entry).length === 2;
      })),
};
const event: Checks = {
  name: (value) => (VAULT_EVENT_NAMES as readonly unknown[]).includes(value),
  reason: (value) => value === undefined || isShortText(value),
  error: (value) => value === undefined || isErrorCode(value),
  message: (value) => value === undefined || isShortText(value),
  // Only an outcome of a popup sign-in names its flow: a success or a typed error.
  flow: (value) => value === undefined || isFlowId(value),
};

/** The checks of the replies a port takes, by type: {@link PAGE_REPLIES} or {@link FETCH_REPLIES}. */
export type ReplyChecks = Partial<Record<ProxyReply['type'], Checks>>;

/** Every reply of the proxy: what the page's port takes (requests answered with results, and events). */
export const PAGE_REPLIES: ReplyChecks = { hello, response, queued, started, result, error, event };

/**
 * The replies to a port that only fetches (the worker's): the hello, responses, queue notices and
 * errors. A result or an event there is malformed.
 */
export const FETCH_REPLIES: ReplyChecks = { hello, response, queued, started, error };

/**
 * Checks a message from the proxy on a connected port (against `replies`, by default every reply
 * type). Throws `TV_VERSION_MISMATCH` for another protocol version and `TV_MALFORMED_MESSAGE` for
 * anything that is not a reply of this protocol.
 *
 * @example
 * ```ts
 * port.onmessage = (event) => handle(parseProxyReply(event.data))
 * ```
 */
export function parseProxyReply(data: unknown, replies: ReplyChecks = PAGE_REPLIES): ProxyReply {
  return checkMessage<ProxyReply>(versioned(data), replies as Record<ProxyReply['type'], Checks>, false);
}

/** Page ↔ service worker messages (same origin). */
export type WorkerMessage =
  /** page → worker, with one transferred port connected to the proxy. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"connect"`. */
      type: 'connect';
    }
  /** page → worker: "take control of me" (after a hard reload). */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"claim"`. */
      type: 'claim';
    }
  /** worker → page: "I have no channel to the proxy for you; send me a port". */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"need-port"`. */
      type: 'need-port';
    }
  /** worker → page: "the port you sent works: the proxy said hello on it". */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"connected"`. */
      type: 'connected';
    }
  /** worker → page: "your message failed" (for example TV_VERSION_MISMATCH after a half-rolled-out upgrade). */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"error"`. */
      type: 'error';
      /** The `TV_*` code. */
      error: ErrorCode;
      /** What went wrong (empty in production builds). */
      message: string;
    };

const WORKER_MESSAGES: Record<WorkerMessage['type'], Checks> = {
  connect: {},
  claim: {},
  'need-port': {},
  connected: {},
  error: { error: isErrorCode, message: isShortText },
};

/**
 * Checks a message between a page and its service worker: exactly the fields of its type.
 * Throws `TV_VERSION_MISMATCH` or `TV_MALFORMED_MESSAGE`.
 */
export function parseWorkerMessage(data: unknown): WorkerMessage {
  return checkMessage<WorkerMessage>(versioned(data), WORKER_MESSAGES, true);
}
