/**
 * A response body that errors with the signal's reason when the signal aborts, as the body of an
 * aborted fetch does, and cancels the body it reads (through the proxy, that ends the upstream
 * request).
 *
 * @example
 * ```ts
 * const response = await port.fetch(request, signal)
 * return new Response(response.body && abortable(response.body, signal), response)
 * ```
 * @see https://fetch.spec.whatwg.org/#abort-fetch
 */
export function abortable(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let onAbort = (): void => {};
  const release = (): void => {
    signal.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          controller.error(signal.reason);
          reader.cancel(signal.reason).catch(() => {});
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        const { done, value } = await reader.read().catch((err: unknown) => {
          release();
          throw err;
        });
        if (signal.aborted) return;
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    // No queue of its own: whoever reads this sets the pace, as with the original body.
    { highWaterMark: 0 },
  );
}
