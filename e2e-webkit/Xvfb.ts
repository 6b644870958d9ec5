import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A virtual X display for the WebKitGTK browser, which needs one even when nobody looks. */
export interface VirtualDisplay {
  /** The value for DISPLAY, for example `:99`. */
  display: string;
  stop(): Promise<void>;
}

/**
 * Starts Xvfb on a free display number: with `-displayfd` the server picks the number itself and
 * writes it to the given descriptor once it accepts connections, so there is nothing to guess or
 * poll for.
 */
export function startXvfb(binary = process.env.XVFB_PATH ?? '/usr/bin/Xvfb', timeoutMs = 10_000): Promise<VirtualDisplay> {
  const child: ChildProcess = spawn(binary, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let stderr = '';
    let out = '';
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Xvfb did not start within ${timeoutMs} ms: ${stderr.trim()}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb could not be started (${binary}): ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${String(code)}: ${stderr.trim()}`));
    });
    (child.stdio[3] as Readable).on('data', (data: Buffer) => {
      out += data.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ display: `:${out.trim()}`, stop });
    });
  });
}
