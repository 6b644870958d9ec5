import { PROTOCOL_VERSION, VaultError, parseWorkerMessage } from '@tokenvault/protocol';
import { onceMarks } from './onceMarks.js';
import type { ProxyFrame } from './ProxyFrame.js';

/** What the client does about a page that the worker does not control (after a hard reload). */
export type UncontrolledPolicy = 'reload' | 'fail';

/** Options of {@link workerLink}. */
export interface WorkerLinkOptions {
  url: string;
  scope: string | undefined;
  timeoutMs: number;
  uncontrolled: UncontrolledPolicy;
  /** Called when the client claims or reloads the page to get it controlled, or updates the worker. */
  onControl: (action: 'claim' | 'reload' | 'update') => void;
}

/** The page's link to the interceptor worker (see {@link workerLink}). */
export interface WorkerLink {
  /**
   * Registers the worker and resolves once it controls the page; rejects with `TV_NOT_CONTROLLED`
   * when that does not happen in time (service workers blocked or disabled, registration stuck).
   */
  control(): Promise<void>;
  /**
   * Gives the controlling worker a fresh channel to the proxy and waits until it works. A worker of
   * another protocol version (an upgrade half rolled out) is updated once; if it still does not
   * match, this fails with `TV_VERSION_MISMATCH` instead of trying again.
   */
  connect(): Promise<void>;
}

const RELOAD_MARK = 'tokenvault:reloaded-for-control';

/** Resolves with what `listen` hands `done`, or with undefined after `timeoutMs`; `listen` returns how to stop listening. */
function waitFor<T>(timeoutMs: number, listen: (done: (value?: T) => void) => () => void): Promise<T | undefined> {
  return new Promise((resolve) => {
    const done = (value?: T): void => {
      clearTimeout(timer);
      unlisten();
      resolve(value);
    };
    const timer = setTimeout(done, timeoutMs);
    const unlisten = listen(done);
  });
}

/** The worker controlling this page now: a call, since it changes while the code awaits. */
function controller(): ServiceWorker | null {
  return navigator.serviceWorker.controller;
}

/** Resolves true at the next controllerchange, or undefined after `timeoutMs`. */
function controllerChange(timeoutMs: number): Promise<true | undefined> {
  return waitFor<true>(timeoutMs, (done) => {
    const listener = (): void => {
      done(true);
    };
    navigator.serviceWorker.addEventListener('controllerchange', listener);
    return () => {
      navigator.serviceWorker.removeEventListener('controllerchange', listener);
    };
  });
}

/**
 * Registers the interceptor, makes sure it controls this page, and keeps it connected to the proxy:
 * the worker can be stopped at any time, and then asks for a new port ("need-port"). A closure, not
 * a class: its private state minifies to one letter a name.
 *
 * @example
 * ```ts
 * const link = workerLink(frame, { url: '/sw.js', scope: undefined, timeoutMs: 10_000, uncontrolled: 'reload', onControl })
 * await link.control()
 * await link.connect()
 * ```
 */
export function workerLink(frame: ProxyFrame, { url, scope, timeoutMs, uncontrolled, onControl }: WorkerLinkOptions): WorkerLink {
  let registration: ServiceWorkerRegistration | undefined;
  /** Connections waiting for the worker's answer; the first answer settles all of them. */
  const pending = new Set<(result: true | VaultError) => void>();
  /** Set by the first connect(): before it, a controllerchange is the first visit's claim, which that connect follows. */
  let started = false;
  const settle = (result: true | VaultError): void => {
    for (const done of [...pending]) done(result);
  };

  const register = async (): Promise<void> => {
    if (!('serviceWorker' in navigator)) throw new VaultError('TV_NOT_CONTROLLED', { why: 'noServiceWorkers' });
    const container = navigator.serviceWorker;
    registration = await container.register(url, { scope, updateViaCache: 'none' }).catch((cause: unknown) => {
      throw new VaultError('TV_NOT_CONTROLLED', { why: 'workerNotRegistered', url }, { cause });
    });
    if (!controller()) {
      // First visit: the worker claims the page when it activates. Hard reload: it is already
      // active and the page is uncontrolled until the worker claims it again, so ask it to.
      await container.ready;
      const changed = controllerChange(timeoutMs / 2);
      if (!controller()) {
        onControl('claim');
        (registration.active ?? (await container.ready).active)?.postMessage({ v: PROTOCOL_VERSION, type: 'claim' });
        await changed;
      }
    }
    if (controller()) {
      onceMarks.clear(RELOAD_MARK);
      return;
    }
    if (uncontrolled === 'reload' && !onceMarks.has(RELOAD_MARK)) {
      onceMarks.set(RELOAD_MARK);
      onControl('reload');
      location.reload();
      // The page is going away; never resolve.
      return new Promise<void>(() => {});
    }
    onceMarks.clear(RELOAD_MARK);
    throw new VaultError('TV_NOT_CONTROLLED', { why: 'notControlled' });
  };

  const connectOnce = async (): Promise<true | VaultError> => {
    // The frame must have loaded the proxy: a port posted to it earlier would be addressed to the
    // frame's initial about:blank and dropped.
    await frame.loaded;
    const worker = controller();
    if (!worker) return new VaultError('TV_NOT_CONTROLLED', { why: 'notControlled' });
    const channel = new MessageChannel();
    // An earlier connection may still be waiting: `ready`'s and the one a controllerchange starts
    // race (WebKit sets `controller` before it fires the event), or a need-port comes in between.
    // It is not failed: the worker answers every connect, and the first answer settles both.
    const outcome = waitFor<true | VaultError>(timeoutMs, (done) => {
      pending.add(done);
      return () => pending.delete(done);
    });
    frame.connect('worker', channel.port1);
    worker.postMessage({ v: PROTOCOL_VERSION, type: 'connect' }, [channel.port2]);
    return (await outcome) ?? new VaultError('TV_PROXY_UNREACHABLE', { why: 'workerNoProxy' });
  };

  const connect = async (): Promise<void> => {
    started = true;
    const result = await connectOnce();
    if (result === true) return;
    if (result.code !== 'TV_VERSION_MISMATCH' || !registration) throw result;
    onControl('update');
    const changed = controllerChange(timeoutMs);
    await registration.update().catch(() => undefined);
    // A newer worker script takes over by itself (skipWaiting + clients.claim); the
    // controllerchange listener then connects it. If the server has nothing newer, give up.
    if (!(await changed)) throw result;
    const retry = await connectOnce();
    if (retry !== true) throw retry;
  };

  // Absent in some private modes and outside a secure context, whatever lib.dom says; control() then fails with a typed error.
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  container?.addEventListener('message', (event) => {
    if (event.origin !== location.origin || !(event.source instanceof ServiceWorker)) return;
    let message;
    try {
      message = parseWorkerMessage(event.data);
    } catch (err) {
      // A worker of another version: its messages are not ours to act on, but a connection
      // waiting for it must learn why it will not come.
      if (err instanceof VaultError && err.code === 'TV_VERSION_MISMATCH') settle(err);
      return;
    }
    if (message.type === 'need-port') void connect().catch(() => {});
    else if (message.type === 'connected') settle(true);
    else if (message.type === 'error') settle(new VaultError(message.error, message.message));
  });
  // A new worker version took over: it has no channel yet.
  container?.addEventListener('controllerchange', () => void (started && connect().catch(() => {})));

  return {
    control(): Promise<void> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new VaultError('TV_NOT_CONTROLLED', { why: 'notControlledInTime', timeoutMs }));
        }, timeoutMs);
      });
      return Promise.race([register(), timeout]).finally(() => {
        clearTimeout(timer);
      });
    },
    connect,
  };
}
