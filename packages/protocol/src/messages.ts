import * as v from 'valibot';
import { isErrorCode, VaultError, type ErrorCode } from './errors.js';
import { HostSessionIdSchema } from './hostSession.js';

/**
 * The protocol version. Every message carries it as `v`; the two ends of a channel must agree
 * (a mismatch means an upgrade is half rolled out, and is answered with `TV_VERSION_MISMATCH`).
 * A string, so that a build of any part can be told apart by looking at its bundle.
 */
export const PROTOCOL_VERSION = 'tokenvault/1';

const id = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const token = v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,32}$/));
const header = v.tuple([
  v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,256}$/)),
  v.pipe(v.string(), v.maxLength(16_384)),
]);
const headers = v.pipe(v.array(header), v.maxLength(128));

/** A request as it crosses from the app origin to the proxy. */
export const SerializedRequestSchema = v.strictObject({
  url: v.pipe(v.string(), v.maxLength(16_384)),
  method: token,
  headers,
  body: v.nullable(v.instance(ArrayBuffer)),
});
export type SerializedRequest = v.InferOutput<typeof SerializedRequestSchema>;

/** Page → proxy window, with one transferred MessagePort: "talk to me on this port". */
export const ConnectSchema = v.strictObject({
  v: v.string(),
  type: v.literal('connect'),
  role: v.picklist(['page', 'worker']),
});
export type ConnectMessage = v.InferOutput<typeof ConnectSchema>;

/** Messages the proxy accepts on a connected port. */
export const ProxyRequestSchema = v.variant('type', [
  v.strictObject({ v: v.string(), type: v.literal('fetch'), id, request: SerializedRequestSchema }),
  v.strictObject({ v: v.string(), type: v.literal('status'), id }),
  v.strictObject({
    v: v.string(),
    type: v.literal('logout'),
    id,
    /** Where the OP sends the browser after ending its session; the OP checks it against the client's registration. */
    postLogoutRedirectUri: v.optional(v.pipe(v.string(), v.url(), v.maxLength(2048))),
  }),
  /** The session ID the embedding host handed this page; the proxy accepts one per page. */
  v.strictObject({ v: v.string(), type: v.literal('host-session'), id, sessionId: HostSessionIdSchema }),
]);
export type ProxyRequest = v.InferOutput<typeof ProxyRequestSchema>;

/** What the proxy tells a newly connected port. */
export interface HelloMessage {
  v: string;
  type: 'hello';
  /** The token endpoint from the OP's discovery document; the interceptor routes it to the proxy. */
  tokenEndpoint: string;
}

/**
 * A response to a `fetch` request. The body is a transferred stream where the engine can, else the
 * port of a body channel (bodyChannel.ts) that carries it in chunks.
 */
export interface ResponseMessage {
  v: string;
  type: 'response';
  id: number;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ReadableStream<Uint8Array> | MessagePort | null;
}

/** The answer to a `status`, `logout` or `host-session` request. */
export interface ResultMessage {
  v: string;
  type: 'result';
  id: number;
  signedIn: boolean;
  /** Epoch milliseconds at which the access token expires, when signed in. */
  expiresAt: number | null;
  /** After a logout: the OP's end-session URL to send the browser to, when the OP has one. */
  endSessionUrl?: string;
}

/** A typed error answering any request (or, with id -1, a message that had no usable id). */
export interface ErrorMessage {
  v: string;
  type: 'error';
  id: number;
  error: ErrorCode;
  message: string;
}

/** Something the proxy tells every connected port without being asked. */
export interface EventMessage {
  v: string;
  type: 'event';
  name: 'signed-in' | 'signed-out';
}

export type ProxyReply = HelloMessage | ResponseMessage | ResultMessage | ErrorMessage | EventMessage;

export const ProxyReplySchema = v.variant('type', [
  v.object({ v: v.string(), type: v.literal('hello'), tokenEndpoint: v.string() }),
  v.object({
    v: v.string(),
    type: v.literal('response'),
    id,
    status: v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(599)),
    statusText: v.pipe(v.string(), v.maxLength(1024)),
    headers,
    body: v.nullable(v.union([v.instance(ReadableStream), v.instance(MessagePort)])),
  }),
  v.object({
    v: v.string(),
    type: v.literal('result'),
    id,
    signedIn: v.boolean(),
    expiresAt: v.nullable(v.number()),
    endSessionUrl: v.optional(v.pipe(v.string(), v.url())),
  }),
  v.object({ v: v.string(), type: v.literal('error'), id: v.number(), error: v.custom<ErrorCode>(isErrorCode), message: v.string() }),
  v.object({ v: v.string(), type: v.literal('event'), name: v.picklist(['signed-in', 'signed-out']) }),
]);

/** Page ↔ service worker messages (same origin). */
export const WorkerMessageSchema = v.variant('type', [
  /** page → worker, with one transferred port connected to the proxy. */
  v.strictObject({ v: v.string(), type: v.literal('connect') }),
  /** page → worker: "take control of me" (after a hard reload). */
  v.strictObject({ v: v.string(), type: v.literal('claim') }),
  /** worker → page: "I have no channel to the proxy for you; send me a port". */
  v.strictObject({ v: v.string(), type: v.literal('need-port') }),
  /** worker → page: "the port you sent works: the proxy said hello on it". */
  v.strictObject({ v: v.string(), type: v.literal('connected') }),
  /** worker → page: "your message failed" (for example TV_VERSION_MISMATCH after a half-rolled-out upgrade). */
  v.strictObject({ v: v.string(), type: v.literal('error'), error: v.custom<ErrorCode>(isErrorCode), message: v.pipe(v.string(), v.maxLength(1024)) }),
]);
export type WorkerMessage = v.InferOutput<typeof WorkerMessageSchema>;

/**
 * Checks a message against a schema, version first. Throws `TV_VERSION_MISMATCH` when the version
 * differs and `TV_MALFORMED_MESSAGE` (naming the first wrong field) when the shape is wrong.
 *
 * @example
 * ```ts
 * const msg = parseMessage(ProxyRequestSchema, event.data)
 * ```
 */
export function parseMessage<S extends v.GenericSchema>(schema: S, data: unknown): v.InferOutput<S> {
  if (typeof data !== 'object' || data === null || !('v' in data) || !('type' in data)) {
    throw new VaultError('TV_MALFORMED_MESSAGE', 'Malformed message: expected an object with "v" and "type"');
  }
  if (data.v !== PROTOCOL_VERSION) {
    const received = typeof data.v === 'string' ? data.v.slice(0, 64) : typeof data.v;
    throw new VaultError('TV_VERSION_MISMATCH', `Protocol version ${JSON.stringify(received)} received, ${PROTOCOL_VERSION} expected`);
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    throw new VaultError('TV_MALFORMED_MESSAGE', `Malformed message${path ? ` at "${path}"` : ''}: ${issue.message}`);
  }
  return result.output;
}
