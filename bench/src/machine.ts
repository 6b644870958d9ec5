import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** What the figures were measured on. */
export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  chromium: string;
  /** 1, 5 and 15 minute load averages before and after the run (other people's processes count). */
  loadBefore: number[];
  loadAfter: number[];
  /** The busiest other processes when the run started (command and %CPU of one core), to show who else was running. */
  othersBefore: string[];
}

/** The processes using at least 5% of a core over half a second (from `top`), besides this one. */
export function busiestOthers(limit = 6): string[] {
  try {
    const out = execFileSync('top', ['-b', '-n', '2', '-d', '0.5', '-w', '200'], { encoding: 'utf8' });
    // The second snapshot: the first one averages over each process's whole life.
    const second = out.split(/^\s*PID\s+USER.*$/m)[2] ?? '';
    return second
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.length >= 12 && cols[0] !== String(process.pid) && cols[11] !== 'top' && Number(cols[8]) >= 5)
      .slice(0, limit)
      .map((cols) => `${cols[11]} ${cols[8]}%`);
  } catch {
    return [];
  }
}

export function machine(chromium: string, loadBefore: number[], othersBefore: string[]): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    loadBefore,
    loadAfter: loadavg().map((n) => Number(n.toFixed(2))),
    othersBefore,
  };
}
