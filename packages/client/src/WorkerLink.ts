import { PROTOCOL_VERSION, VaultError, parseWorkerMessage } from '@tokenvault/protocol';
import { onceMarks } from './onceMarks.js';
import type { ProxyFrame } from './ProxyFrame.js';

/** What the client does about a page that the worker does not control (after a hard reload). */
export type UncontrolledPolicy = 'reload' | 'fail';

export interface WorkerLinkOptions {
  url: string;
  scope: string | undefined;
  timeoutMs: number;
  uncontrolled: UncontrolledPolicy;
  /** Called when the client claims or reloads the page to get it controlled, or updates the worker. */
  onControl(action: 'claim' | 'reload' | 'update'): void;
}

const RELOAD_MARK = 'tokenvault:reloaded-for-control';

function waitFor<T>(register: (done: (value: T) => void) => () => void, timeoutMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    let unregister = (): void => {};
    const timer = setTimeout(() => {
      unregister();
      resolve(undefined);
    }, timeoutMs);
    unregister = register((value) => {
      clearTimeout(timer);
      unregister();
      resolve(value);
    });
  });
}

/** The worker controlling this page now: a call, since it changes while the code awaits. */
function controller(): ServiceWorker | null {
  return navigator.serviceWorker.controller;
}

function onControllerChange(): (done: (value: true) => void) => () => void {
  return (done) => {
    const listener = (): void => {
      done(true);
    };
    navigator.serviceWorker.addEventListener('controllerchange', listener);
    return () => {
      navigator.serviceWorker.removeEventListener('controllerchange', listener);
    };
  };
}

/**
 * Registers the interceptor, makes sure it controls this page, and keeps it connected to the proxy:
 * the worker can be stopped at any time, and then asks for a new port ("need-port").
 */
export class WorkerLink {
  #options: WorkerLinkOptions;
  #frame: ProxyFrame;
  #registration: ServiceWorkerRegistration | null = null;
  /** Connections waiting for the worker's answer; the first answer settles all of them. */
  #pending = new Set<(result: true | VaultError) => void>();
  /** Set by the first connect(): before it, a controllerchange is the first visit's claim, which that connect follows. */
  #started = false;

  constructor(frame: ProxyFrame, options: WorkerLinkOptions) {
    this.#frame = frame;
    this.#options = options;
    // Absent in some private modes and outside a secure context, whatever lib.dom says; control() then fails with a typed error.
    const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    container?.addEventListener('message', (event) => {
      this.#onMessage(event);
    });
    // A new worker version took over: it has no channel yet.
    container?.addEventListener('controllerchange', () => void (this.#started && this.connect().catch(() => {})));
  }

  /**
   * Registers the worker and resolves once it controls the page; rejects with `TV_NOT_CONTROLLED`
   * when that does not happen in time (service workers blocked or disabled, registration stuck).
   */
  async control(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new VaultError('TV_NOT_CONTROLLED', { why: 'notControlledInTime', timeoutMs: this.#options.timeoutMs }));
      }, this.#options.timeoutMs);
    });
    try {
      await Promise.race([this.#control(), timeout]);
      return;
    } finally {
      clearTimeout(timer);
    }
  }

  async #control(): Promise<void> {
    const { url, scope, timeoutMs } = this.#options;
    if (!('serviceWorker' in navigator)) throw new VaultError('TV_NOT_CONTROLLED', { why: 'noServiceWorkers' });
    const registration = await navigator.serviceWorker.register(url, { scope, updateViaCache: 'none' }).catch((cause: unknown) => {
      throw new VaultError('TV_NOT_CONTROLLED', { why: 'workerNotRegistered', url }, { cause });
    });
    this.#registration = registration;
    if (controller()) {
      this.#controlled();
      return;
    }
    // First visit: the worker claims the page when it activates. Hard reload: it is already active
    // and the page is uncontrolled until the worker claims it again, so ask it to.
    await navigator.serviceWorker.ready;
    const changed = waitFor<true>(onControllerChange(), timeoutMs / 2);
    if (!controller()) {
      this.#options.onControl('claim');
      (registration.active ?? (await navigator.serviceWorker.ready).active)?.postMessage({ v: PROTOCOL_VERSION, type: 'claim' });
      await changed;
    }
    if (controller()) {
      this.#controlled();
      return;
    }
    if (this.#options.uncontrolled === 'reload' && !onceMarks.has(RELOAD_MARK)) {
      onceMarks.set(RELOAD_MARK);
      this.#options.onControl('reload');
      location.reload();
      // The page is going away; never resolve.
      return new Promise<void>(() => {});
    }
    onceMarks.clear(RELOAD_MARK);
    throw new VaultError('TV_NOT_CONTROLLED', { why: 'notControlled' });
  }

  #controlled(): void {
    onceMarks.clear(RELOAD_MARK);
  }

  /**
   * Gives the controlling worker a fresh channel to the proxy and waits until it works. A worker of
   * another protocol version (an upgrade half rolled out) is updated once; if it still does not
   * match, this fails with `TV_VERSION_MISMATCH` instead of trying again.
   */
  async connect(): Promise<void> {
    this.#started = true;
    const result = await this.#connectOnce();
    if (result === true) return;
    if (result.code !== 'TV_VERSION_MISMATCH' || !this.#registration) throw result;
    this.#options.onControl('update');
    const changed = waitFor<true>(onControllerChange(), this.#options.timeoutMs);
    await this.#registration.update().catch(() => undefined);
    // A newer worker script takes over by itself (skipWaiting + clients.claim); the
    // controllerchange listener then connects it. If the server has nothing newer, give up.
    if (!(await changed)) throw result;
    const retry = await this.#connectOnce();
    if (retry !== true) throw retry;
  }

  async #connectOnce(): Promise<true | VaultError> {
    // The frame must have loaded the proxy: a port posted to it earlier would be addressed to the
    // frame's initial about:blank and dropped.
    await this.#frame.loaded;
    const controller = navigator.serviceWorker.controller;
    if (!controller) return new VaultError('TV_NOT_CONTROLLED', { why: 'notControlled' });
    const channel = new MessageChannel();
    // An earlier connection may still be waiting: `ready`'s and the one a controllerchange starts
    // race (WebKit sets `controller` before it fires the event), or a need-port comes in between.
    // It is not failed: the worker answers every connect, and the first answer settles both.
    const outcome = waitFor<true | VaultError>((done) => {
      this.#pending.add(done);
      return () => void this.#pending.delete(done);
    }, this.#options.timeoutMs);
    this.#frame.connect('worker', channel.port1);
    controller.postMessage({ v: PROTOCOL_VERSION, type: 'connect' }, [channel.port2]);
    return (await outcome) ?? new VaultError('TV_PROXY_UNREACHABLE', { why: 'workerNoProxy' });
  }

  #settle(result: true | VaultError): void {
    for (const done of [...this.#pending]) done(result);
  }

  #onMessage(event: MessageEvent): void {
    if (event.origin !== location.origin || !(event.source instanceof ServiceWorker)) return;
    let message;
    try {
      message = parseWorkerMessage(event.data);
    } catch (err) {
      // A worker of another version: its messages are not ours to act on, but a connection
      // waiting for it must learn why it will not come.
      if (err instanceof VaultError && err.code === 'TV_VERSION_MISMATCH') this.#settle(err);
      return;
    }
    switch (message.type) {
      case 'need-port':
        void this.connect().catch(() => {});
        return;
      case 'connected':
        this.#settle(true);
        return;
      case 'error':
        this.#settle(new VaultError(message.error, message.message));
        return;
      default:
        return;
    }
  }
}
