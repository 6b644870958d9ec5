/**
 * Holds a streamed response of the sample API after its first part until a test opens the gate:
 * a page that reads the first part while the rest has not been sent yet proves that the body
 * arrived progressively, with no clock involved.
 *
 * @example
 * ```ts
 * // the page fetches /v1/stream?id=s1 and reads "part 1" …
 * expect(devHost.vault.streams.isWaiting('s1')).toBe(true)
 * devHost.vault.streams.open('s1') // … then the rest arrives
 * ```
 */
export class StreamGates {
  #gates = new Map<string, { waiting: boolean; opened: Promise<void>; open(): void }>();

  #gate(id: string) {
    let gate = this.#gates.get(id);
    if (!gate) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = { waiting: false, opened, open };
      this.#gates.set(id, gate);
    }
    return gate;
  }

  /** Called by the API after it sent the first part: resolves when the test opens the gate (or `abort` fires). */
  wait(id: string, abort: AbortSignal): Promise<void> {
    const gate = this.#gate(id);
    gate.waiting = true;
    abort.addEventListener(
      'abort',
      () => {
        gate.open();
      },
      { once: true },
    );
    return gate.opened.finally(() => {
      gate.waiting = false;
      this.#gates.delete(id);
    });
  }

  /** Whether the response `id` has sent its first part and holds the rest. */
  isWaiting(id: string): boolean {
    return this.#gates.get(id)?.waiting ?? false;
  }

  /** Lets the response `id` send the rest (now, or as soon as it gets to its gate). */
  open(id: string): void {
    this.#gate(id).open();
  }
}
