/**
 * A body stream that hands out the given chunks and counts the reads (`state.reads`); with
 * `end: false` it never ends. For tests of code that reads a body only as far as it must.
 */
export function chunkedStream(chunks: string[], end = true): { stream: ReadableStream<Uint8Array>; state: { reads: number } } {
  const state = { reads: 0 };
  const queue = chunks.map((chunk) => new TextEncoder().encode(chunk));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.reads++;
        const next = queue.shift();
        if (next) controller.enqueue(next);
        else if (end) controller.close();
        else return new Promise<void>(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}
