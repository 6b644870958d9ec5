import * as v from 'valibot';
import { VaultError, isErrorCode, toVaultError, type ErrorCode } from './errors.js';
import { parseMessage } from './parseMessage.js';
import { checkMessage, isShortText, type Checks } from './check.js';
import { PROTOCOL_VERSION, versioned } from './version.js';
import { dev } from './dev.js';

// A response body as chunks over a MessagePort, for engines that cannot transfer a ReadableStream
// (WebKit: postMessage throws DataCloneError). The receiver grants credit, one unit per chunk, and
// the sender reads from the upstream body only while it has credit: the body stays progressive,
// memory stays bounded by the window, and a cancel on either side reaches the other.

/** The largest chunk in one message. Larger upstream chunks are split, so that one credit stays small. */
export const BODY_CHUNK_BYTES = 64 * 1024;

/** How many chunks the receiver lets be in flight or queued unread (its high-water mark). */
export const BODY_WINDOW_CHUNKS = 8;

/** Credit the sender keeps at most, whatever the receiver grants. */
const MAX_CREDIT = 1024;

/** Sender → receiver on a body channel. */
export type BodyMessage =
  /** The next bytes of the body. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"chunk"`. */
      type: 'chunk';
      /** 1 to {@link BODY_CHUNK_BYTES} bytes, transferred. */
      data: ArrayBuffer;
    }
  /** The body is complete. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"end"`. */
      type: 'end';
    }
  /** The body broke off upstream. */
  | {
      /** The protocol version ({@link PROTOCOL_VERSION}). */
      v: string;
      /** Always `"error"`. */
      type: 'error';
      /** The `TV_*` code, such as `TV_UPSTREAM_UNREACHABLE`. */
      error: ErrorCode;
      /** What went wrong (empty in production builds). */
      message: string;
    };

// The receiver (a page or the worker) checks what the proxy sends with guards, not a schema: see
// replies.ts for why that is safe. What the proxy receives from the app origin (BodyControlSchemas)
// is checked by a schema.
const BODY_MESSAGES: Record<BodyMessage['type'], Checks> = {
  chunk: { data: (data) => data instanceof ArrayBuffer && data.byteLength > 0 && data.byteLength <= BODY_CHUNK_BYTES },
  end: {},
  error: { error: isErrorCode, message: isShortText },
};

/**
 * Checks a message on a body channel: a chunk of 1 to {@link BODY_CHUNK_BYTES} bytes, the end, or an
 * error with a code of the catalog, with no other fields. Throws `TV_VERSION_MISMATCH` or `TV_MALFORMED_MESSAGE`.
 */
export function parseBodyMessage(data: unknown): BodyMessage {
  return checkMessage<BodyMessage>(versioned(data), BODY_MESSAGES, true);
}

/** Receiver → sender on a body channel. */
export const BodyControlSchemas = {
  /** "Send me this many more chunks." */
  pull: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"pull"`. */
    type: v.literal('pull'),
    /** How many more chunks the sender may send: a whole number from 1 to 1024. */
    credit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_CREDIT)),
  }),
  /** "I want no more of this body": the sender cancels the upstream body. */
  cancel: v.strictObject({
    /** The protocol version ({@link PROTOCOL_VERSION}). */
    v: v.string(),
    /** Always `"cancel"`. */
    type: v.literal('cancel'),
  }),
};
/** A message the receiver of a body channel sends its sender: more credit, or cancel. */
export type BodyControl = v.InferOutput<(typeof BodyControlSchemas)[keyof typeof BodyControlSchemas]>;

type Unversioned<T> = T extends unknown ? Omit<T, 'v'> : never;

function post(port: MessagePort, message: Unversioned<BodyMessage | BodyControl>, transfer: Transferable[] = []): void {
  try {
    port.postMessage({ v: PROTOCOL_VERSION, ...message }, transfer);
  } catch {
    // The other end is gone: there is nobody left to tell.
  }
}

/**
 * Sends a body over a new MessageChannel and returns the port to transfer to the receiver, which
 * turns it back into a stream with {@link receiveBody}. Chunks are read from `body` only as the
 * receiver grants credit; a cancel from the receiver cancels `body`. Control messages that do not
 * match the protocol are ignored: they change nothing.
 *
 * @example
 * ```ts
 * const body = streamsTransferable ? response.body : sendBody(response.body)
 * port.postMessage({ ...head, body }, [body])
 * ```
 * @see https://streams.spec.whatwg.org/#rs-transfer
 */
export function sendBody(body: ReadableStream<Uint8Array>): MessagePort {
  const { port1: port, port2: remote } = new MessageChannel();
  const reader = body.getReader();
  let credit = 0;
  let rest: Uint8Array | null = null;
  let pumping = false;
  let finished = false;
  // Read through a call after an await: finish() also runs from the port's handlers while pump()
  // waits for a read, which the compiler's narrowing of the local cannot see.
  const isFinished = (): boolean => finished;

  const finish = (cancelSource: boolean): void => {
    if (finished) return;
    finished = true;
    port.onmessage = null;
    port.close();
    if (cancelSource) reader.cancel().catch(() => {});
    else reader.releaseLock();
  };

  const pump = async (): Promise<void> => {
    if (pumping || finished) return;
    pumping = true;
    try {
      while (credit > 0 && !isFinished()) {
        if (!rest) {
          const { done, value } = await reader.read();
          if (isFinished()) return;
          if (done) {
            post(port, { type: 'end' });
            finish(false);
            return;
          }
          if (!(value instanceof Uint8Array)) throw new TypeError('A body chunk is not a Uint8Array');
          if (value.byteLength === 0) continue;
          rest = value;
        }
        // A copy of exactly this chunk: its buffer is ours to transfer, whatever `rest` shares.
        const chunk = rest.slice(0, BODY_CHUNK_BYTES);
        rest = rest.byteLength > BODY_CHUNK_BYTES ? rest.subarray(BODY_CHUNK_BYTES) : null;
        credit--;
        post(port, { type: 'chunk', data: chunk.buffer }, [chunk.buffer]);
      }
    } catch (err) {
      if (isFinished()) return;
      // The upstream body broke off. The receiver gets a code, never the browser's own message.
      const error = toVaultError(err, 'TV_UPSTREAM_UNREACHABLE');
      post(port, { type: 'error', error: error.code, message: new VaultError(error.code, { why: 'bodyBrokeOff' }).message });
      finish(true);
    } finally {
      pumping = false;
    }
  };

  port.onmessage = (event: MessageEvent) => {
    let message: BodyControl;
    try {
      message = parseMessage(BodyControlSchemas, event.data);
    } catch {
      return;
    }
    if (message.type === 'cancel') {
      finish(true);
      return;
    }
    credit = Math.min(credit + message.credit, MAX_CREDIT);
    void pump();
  };
  // Where the engine says that the other end is gone (the receiving page or worker died), let go of
  // the upstream body instead of holding it open until this frame unloads.
  port.addEventListener('close', () => {
    finish(true);
  });
  return remote;
}

/**
 * Turns the port of a body channel ({@link sendBody}) back into a ReadableStream. The stream pulls
 * with credit up to `windowChunks` chunks ahead of its reader, so a slow reader slows the sender;
 * cancelling it cancels the sender's body. A message that breaks the protocol (a wrong shape or
 * version, more chunks than granted) errors the stream with `TV_MALFORMED_MESSAGE` or
 * `TV_VERSION_MISMATCH` rather than hand on a body that may be missing bytes. `windowChunks` (an
 * integer from 1 to 1024) is checked in development builds (`TV_INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * const body = reply.body instanceof MessagePort ? receiveBody(reply.body) : reply.body
 * return new Response(body, { status: reply.status, headers: reply.headers })
 * ```
 */
export function receiveBody(port: MessagePort, windowChunks = BODY_WINDOW_CHUNKS): ReadableStream<Uint8Array> {
  // The caller's own argument, not input from another realm: checked in development builds.
  if (dev && (!Number.isSafeInteger(windowChunks) || windowChunks < 1 || windowChunks > MAX_CREDIT)) {
    throw new VaultError('TV_INVALID_ARGUMENT', { why: 'windowChunks', max: MAX_CREDIT });
  }
  // Credit granted and not yet used: what may still arrive.
  let outstanding = 0;
  let done = false;
  const stop = (): void => {
    done = true;
    port.onmessage = null;
    port.onmessageerror = null;
    port.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: VaultError): void => {
          post(port, { type: 'cancel' });
          stop();
          controller.error(error);
        };
        port.onmessageerror = () => {
          fail(new VaultError('TV_MALFORMED_MESSAGE', { why: 'badChunk' }));
        };
        port.onmessage = (event: MessageEvent) => {
          if (done) return;
          let message: BodyMessage;
          try {
            message = parseBodyMessage(event.data);
          } catch (err) {
            fail(toVaultError(err, 'TV_MALFORMED_MESSAGE'));
            return;
          }
          if (message.type !== 'chunk') {
            // The last message: the body is complete, or broke off upstream.
            stop();
            if (message.type === 'end') controller.close();
            else controller.error(new VaultError(message.error, message.message));
          } else if (outstanding === 0) {
            fail(new VaultError('TV_MALFORMED_MESSAGE', { why: 'tooManyChunks' }));
          } else {
            outstanding--;
            controller.enqueue(new Uint8Array(message.data));
          }
        };
      },
      pull(controller) {
        // Called whenever the queue has room: grant what is free beyond what is already on its way.
        const grant = (controller.desiredSize ?? 0) - outstanding;
        if (done || grant <= 0) return;
        outstanding += grant;
        post(port, { type: 'pull', credit: grant });
      },
      cancel() {
        if (done) return;
        post(port, { type: 'cancel' });
        stop();
      },
    },
    new CountQueuingStrategy({ highWaterMark: windowChunks }),
  );
}
