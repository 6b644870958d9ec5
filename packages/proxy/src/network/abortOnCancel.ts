/**
 * The body of a fetch response, whose cancellation also aborts the fetch.
 *
 * Why: Firefox does not end an HTTP request when its response body is cancelled (measured with
 * ESR 153: the server kept sending into an open connection, which also counts against the browser's
 * connections per host); it does on abort. Chromium ends it either way. So when the app cancels a
 * body, the proxy aborts the upstream request as well.
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * const response = await fetch(url, { signal: controller.signal })
 * const body = response.body && abortOnCancel(response.body, controller)
 * ```
 * @see https://fetch.spec.whatwg.org/#abort-fetch
 */
export function abortOnCancel(body: ReadableStream<Uint8Array>, controller: AbortController): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        const { done, value } = await reader.read();
        if (done) stream.close();
        else stream.enqueue(value);
      },
      async cancel(reason) {
        controller.abort(reason);
        await reader.cancel(reason).catch(() => {});
      },
    },
    // No queue of its own: whoever reads this sets the pace, as with the original body.
    { highWaterMark: 0 },
  );
}
