import * as v from 'valibot';
import type { ErrorCode } from './errors.js';
import { HostSessionIdSchema, type HostSessionHandoff } from './hostSession.js';
import type { OpEndpoints } from './OpEndpoints.js';
import type { WireBody } from './body.js';
import type { VaultEventName } from './events.js';

export { PROTOCOL_VERSION } from './version.js';
export { parseMessage, type SchemasByType } from './parseMessage.js';

// What crosses from the app origin into the proxy is checked against valibot schemas: the door to
// the tokens. What the page and the worker receive back (replies.ts) comes from the proxy over a
// port the page itself created, and is checked by small hand-written guards.

const id = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const token = v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,32}$/));
const header = v.tuple([v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~\dA-Za-z-]{1,256}$/)), v.pipe(v.string(), v.maxLength(16_384))]);
const headers = v.pipe(v.array(header), v.maxLength(128));

/** A request as it crosses to the proxy (see `serializeRequest`). */
export interface SerializedRequest {
  /** The absolute URL, as `Request.url` has it. */
  url: string;
  /** The HTTP method, as `Request.method` has it. */
  method: string;
  /** The request headers as name-value pairs, in the order the browser lists them. */
  headers: [string, string][];
  /** The body's bytes, transferred; null for none (and for GET and HEAD). */
  body: ArrayBuffer | null;
}

/**
 * A request as it crosses from the app origin to the proxy. Typed as its output so that the
 * compiler holds the schema to {@link SerializedRequest}.
 */
export const SerializedRequestSchema: v.GenericSchema<SerializedRequest> = v.strictObject({
  url: v.pipe(v.string(), v.maxLength(16_384)),
  method: token,
  headers,
  body: v.nullable(v.instance(ArrayBuffer)),
});

/** Messages the proxy accepts on a connected port. */
export const ProxyRequestSchemas = {
  /** "Send this request, with a credential where a rule says so": answered with a response or an error. */
  fetch: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"fetch"`. */
    type: v.literal('fetch'),
    /** The request's id on this port, which the answer carries. */
    id,
    /** The request to send (see `serializeRequest`). */
    request: SerializedRequestSchema,
  }),
  /** "Do you hold tokens?": answered with a result. */
  status: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"status"`. */
    type: v.literal('status'),
    /** The request's id on this port, which the answer carries. */
    id,
  }),
  /** "Sign out": revoke the tokens at the OP and clear the store; answered with a result. */
  logout: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"logout"`. */
    type: v.literal('logout'),
    /** The request's id on this port, which the answer carries. */
    id,
    /** Where the OP sends the browser after ending its session; the OP checks it against the client's registration. */
    postLogoutRedirectUri: v.optional(v.pipe(v.string(), v.url(), v.maxLength(2048))),
  }),
  /**
   * The app gave up on the `fetch` request `id` (its AbortSignal fired): the proxy aborts the
   * upstream request if it is still waiting for its head. Never answered.
   */
  abort: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"abort"`. */
    type: v.literal('abort'),
    /** The id of the `fetch` request to abort. */
    id,
  }),
  /**
   * Sealed mode, popup flow: "a sign-in window of this page is opening: give it an authorization
   * request". The proxy builds the request itself (verifier, state, nonce stay in the proxy); the
   * app only chooses these hints, which shape the request but not where its result goes.
   * Redirect flow (`flow: 'redirect'`): "this tab is going to the proxy's /signin": answered with a
   * one-time `ticket`, without which /signin starts nothing (sign-in CSRF).
   */
  'sign-in': v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"sign-in"`. */
    type: v.literal('sign-in'),
    /** The request's id on this port, which the answer carries. */
    id,
    /** The OIDC `prompt` parameter of the authorization request. */
    prompt: v.optional(v.picklist(['none', 'login', 'consent', 'select_account'])),
    /** The OIDC `login_hint` parameter: printable text, at most 256 characters. */
    // eslint-disable-next-line no-control-regex -- control characters are what the hint may not contain
    loginHint: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256), v.regex(/^[^\x00-\x1f\x7f]*$/))),
    /** The scope to ask for; the proxy's configured scope when absent. */
    scope: v.optional(v.pipe(v.string(), v.maxLength(1024))),
    /** `'redirect'`: the redirect flow (a ticket for /signin); absent: the popup flow. */
    flow: v.optional(v.literal('redirect')),
    /** Redirect flow: where the browser comes back to (the proxy checks it against the app origins). */
    returnTo: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  }),
  /** The claims of the signed-in user's ID token (never the token itself). */
  user: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"user"`. */
    type: v.literal('user'),
    /** The request's id on this port, which the answer carries. */
    id,
  }),
  /**
   * The session ID a host posted to the app's window ('app-window' compatibility only): the proxy
   * refuses it otherwise (`TV_HOST_SESSION_REFUSED`) and accepts one per page.
   */
  'host-session': v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"host-session"`. */
    type: v.literal('host-session'),
    /** The request's id on this port, which the answer carries. */
    id,
    /** The host's session ID. */
    sessionId: HostSessionIdSchema,
  }),
};
/** Any message the proxy accepts on a connected port. */
export type ProxyRequest = v.InferOutput<(typeof ProxyRequestSchemas)[keyof typeof ProxyRequestSchemas]>;

/**
 * What the proxy frame posts to the app page that embeds it as soon as its script runs (addressed to
 * the configured app origins, never `"*"`), and again to a page that asks (`ask-listening`): "I
 * listen, post connect now". The page takes it only from its own proxy frame's window at the proxy
 * origin (any message from there says the proxy's script runs); without it (an older proxy) the
 * page connects at the frame's load event.
 */
export interface ListeningMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"listening"`. */
  type: 'listening';
}

/** What the proxy tells a newly connected port. */
export interface HelloMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"hello"`. */
  type: 'hello';
  /**
   * The OP's endpoints from its discovery document: the interceptor classifies requests with them
   * (classifyOpRequest), as the proxy does, and routes token requests to the proxy.
   */
  endpoints: OpEndpoints;
  /** How this proxy takes a host session ID (its own configuration), for `receiveHostSession`. Absent means `'direct'`. */
  hostHandoff?: HostSessionHandoff;
}

/**
 * A response to a `fetch` request. The body is one transferred ArrayBuffer when it is small, else a
 * transferred stream where the engine can, else the port of a body channel (bodyChannel.ts) that
 * carries it in chunks.
 */
export interface ResponseMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"response"`. */
  type: 'response';
  /** The id of the `fetch` request it answers. */
  id: number;
  /** The upstream response status. */
  status: number;
  /** The upstream status text. */
  statusText: string;
  /** The headers the app sees (the proxy drops hop-by-hop and encoding headers). */
  headers: [string, string][];
  /** The body as it crosses (see `encodeBody` and `decodeBody`). */
  body: WireBody;
}

/**
 * The proxy's queue (`maxUpstreamRequests` at the network) holds a `fetch` request: sent at once
 * when it has to wait. It leaves the queue within `waitMs` (the proxy's `timeouts.queueMs`), with a
 * {@link StartedMessage}, or is answered `TV_QUEUE_TIMEOUT`. The page's time limit for the answer
 * counts from then, not from the send: time in the queue is not time at the upstream.
 */
export interface QueuedMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"queued"`. */
  type: 'queued';
  /** The id of the `fetch` request that waits. */
  id: number;
  /** The longest it waits before it starts or fails, in milliseconds. */
  waitMs: number;
}

/** A queued `fetch` request left the proxy's queue for the network: its answer's head comes within the upstream time limit. */
export interface StartedMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"started"`. */
  type: 'started';
  /** The id of the `fetch` request that started. */
  id: number;
}

/** The answer to a `status`, `logout` or `host-session` request. */
export interface ResultMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"result"`. */
  type: 'result';
  /** The id of the request it answers. */
  id: number;
  /** Whether the proxy holds tokens. */
  signedIn: boolean;
  /** Epoch milliseconds at which the access token expires, when signed in. */
  expiresAt: number | null;
  /** After a logout: the OP's end-session URL to send the browser to, when the OP has one. */
  endSessionUrl?: string;
  /** After a logout: what became of the revocation at the OP. */
  revocation?: RevocationOutcome;
  /** After a logout whose revocation was refused: the status the OP answered. */
  revocationStatus?: number;
  /** After a logout: each revocation request and the status it got (null: no answer). */
  revocations?: RevocationAnswer[];
  /** After a logout: false when the proxy's storage could not be cleared (its memory copy is). */
  storageCleared?: boolean;
  /** The answer to `user`: the ID token's claims, or null when signed out. */
  user?: Record<string, unknown> | null;
  /** The answer to a redirect `sign-in`: the one-time ticket /signin requires. */
  ticket?: string;
  /**
   * The answer to a popup `sign-in`: the flow id the proxy minted for it (see {@link isFlowId}).
   * The flow's outcome is the `signed-in` or `error` event that names it, sent to this port only.
   */
  flow?: string;
  /** The APIs (rules with `resource`) the vault holds a token of their own for; never the token. */
  apis?: ApiTokenStatus[];
}

/** An API the vault holds a token of its own for (RFC 8707: a rule's `resource` or `audience`). */
export interface ApiTokenStatus {
  /** The API's resource indicator (or audience), as configured. */
  api: string;
  /** Epoch milliseconds at which its token expires, or null when the OP gave no lifetime. */
  expiresAt: number | null;
}

/**
 * What became of the revocation in a logout (RFC 7009): `revoked` (the OP accepted every token),
 * `nothing-to-revoke` (the vault held none), `no-endpoint` (the OP has no revocation_endpoint),
 * `refused` (it answered an error status), `failed` (no answer: network, CORS, time limit, or no
 * discovery document).
 */
export type RevocationOutcome = 'revoked' | 'nothing-to-revoke' | 'no-endpoint' | 'refused' | 'failed';

/** One revocation request of a logout: which token, and the HTTP status (null: no answer the proxy could read). */
export interface RevocationAnswer {
  /** Which token was revoked. */
  token: 'refresh_token' | 'access_token';
  /** For an API's own access token (RFC 8707): the API's resource indicator (or audience). */
  api?: string;
  /** The HTTP status of the OP's answer. */
  status: number | null;
}

/** A typed error answering any request (or, with id -1, a message that had no usable id). */
export interface ErrorMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"error"`. */
  type: 'error';
  /** The id of the request it answers; -1 for the connection itself. */
  id: number;
  /** The `TV_*` code. */
  error: ErrorCode;
  /** What went wrong (empty in production builds). */
  message: string;
}

/** Something the proxy tells every connected port without being asked. */
export interface EventMessage {
  /** The protocol version ({@link PROTOCOL_VERSION}). */
  v: string;
  /** Always `"event"`. */
  type: 'event';
  /**
   * `revocation-failed`: a logout's revocation was refused or failed (see RevocationOutcome); the tokens may still be valid at the OP.
   * `host-session`: the proxy holds the host's session ID (sent once more to a port connected after that).
   * `session-unwatchable`: the session watch stopped because it cannot see the OP's session from
   * here (`reason`, a {@link SessionUnwatchableReason}); the tokens are kept and refreshed.
   */
  name: VaultEventName;
  /** `signed-out`: why (`logout`, `session-ended`, `user-changed`, `refresh-failed`, `key-lost`); `session-unwatchable`: a {@link SessionUnwatchableReason}. */
  reason?: string;
  /** `error`: the code and message of what failed (a sign-in, a renewal). */
  error?: ErrorCode;
  /** What went wrong, with an `error` event. */
  message?: string;
  /**
   * `signed-in` or `error` that ends a popup sign-in: the flow id the proxy gave in its answer to
   * that `sign-in` request. Sent only to the port that asked; every other port (and every other
   * tab) hears the same `signed-in` without it. An event without `flow` (another tab's sign-in, a
   * renewal's error) settles no sign-in.
   */
  flow?: string;
}

/**
 * Why a session watch stopped without a sign-out. `op-cookies-not-visible`: the OP's frames under
 * the app cannot see its cookies (third-party cookies blocked or partitioned): the check answered
 * `changed` for a session it had never seen unchanged, the `prompt=none` re-check `login_required`,
 * while the OP still honoured the refresh token. A sign-out at the OP is then learned when the OP
 * refuses a refresh (`invalid_grant`).
 */
export type SessionUnwatchableReason = 'op-cookies-not-visible';

/** Any message the proxy sends on a connected port. */
export type ProxyReply = HelloMessage | ResponseMessage | QueuedMessage | StartedMessage | ResultMessage | ErrorMessage | EventMessage;
