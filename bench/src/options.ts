/** How much the harness measures. `--quick` is for CI: it proves the harness works, not the numbers. */
export interface BenchOptions {
  quick: boolean;
  port: number;
  /** Write the table into docs/benchmarks.md (between its bench:start and bench:end markers). */
  readme: boolean;
  /** Only redraw bench/results.svg from the committed bench/results.json: no run. */
  chartOnly: boolean;
  /** Only the load case (two tabs, 4000 protected requests in flight), printed: no rows, no files. */
  loadOnly: boolean;
  /** Only first visits (rows 2, 3-4 and 5, interleaved) and our first visit's timeline, printed: no files. */
  firstVisitOnly: boolean;
  /** Run the hot-path profile (default: on in a full run, off in quick). */
  profile: boolean;
  latency: { rounds: number; perRound: number; warmup: number };
  /** `warmup`: requests per row before the rounds, `inFlight` at a time (none in quick: latency's warm-up came first). */
  throughput: { rounds: number; total: number; inFlight: number; warmup: number };
  /** `warmup`: one unmeasured stream per row first. */
  stream: { rounds: number; bytes: number; proofBytes: number; proofPauseMs: number; warmup: boolean };
  /** `sideBySide`: the first visits of a round all at once (quick: it proves each page gets ready, its times are not compared). */
  firstVisit: { rounds: number; sideBySide: boolean };
  /** The load case: protected requests per tab and path (two tabs, worker and vault.fetch: 4 × this in flight). */
  load: { perPath: number };
  /** Navigation → signed in: measured rounds per sign-in mode; `sideBySide`: both modes at once (quick). */
  signIn: { rounds: number; sideBySide: boolean };
}

const USAGE = `usage: npm run bench -- [--quick] [--port N] [--readme] [--profile | --no-profile] [--chart-only] [--load-only] [--first-visit-only [--rounds N]]
  --quick       small counts (CI): checks that every row works, never fails on a number
  --port N      the dev host's port (default 8260, or BENCH_PORT)
  --readme      write the table into docs/benchmarks.md (full runs only)
  --profile     also profile the hot path (default in full runs)
  --chart-only  no run: redraw bench/results.svg from bench/results.json
  --load-only   only the load case (counted answers of 4000 requests in flight), printed
  --first-visit-only  only first visits (rows 2, 3-4 and 5 interleaved, N rounds, default 8)
                and N timelines of ours, printed`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let readme = false;
  let chartOnly = false;
  let loadOnly = false;
  let firstVisitOnly = false;
  let rounds: number | undefined;
  let profile: boolean | undefined;
  let port = Number(process.env.BENCH_PORT ?? 8260);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--readme') readme = true;
    else if (arg === '--chart-only') chartOnly = true;
    else if (arg === '--load-only') loadOnly = true;
    else if (arg === '--first-visit-only') firstVisitOnly = true;
    else if (arg === '--rounds') rounds = Number(argv[++i]);
    else if (arg === '--profile') profile = true;
    else if (arg === '--no-profile') profile = false;
    else if (arg === '--port') port = Number(argv[++i]);
    else {
      console.error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`--port must be a port number\n${USAGE}`);
    process.exit(2);
  }
  if (readme && quick) {
    console.error('--readme needs a full run (quick numbers do not belong in the docs)');
    process.exit(2);
  }
  if (loadOnly && (quick || readme || chartOnly)) {
    console.error('--load-only runs the load case alone: it takes neither --quick, --readme nor --chart-only');
    process.exit(2);
  }
  if (firstVisitOnly && (quick || readme || chartOnly || loadOnly)) {
    console.error('--first-visit-only runs first visits alone: it takes neither --quick, --readme, --chart-only nor --load-only');
    process.exit(2);
  }
  if (rounds !== undefined && (!firstVisitOnly || !Number.isInteger(rounds) || rounds < 1)) {
    console.error('--rounds N (a positive whole number) goes with --first-visit-only');
    process.exit(2);
  }
  if (chartOnly && (quick || readme)) {
    console.error('--chart-only runs nothing: it takes neither --quick nor --readme');
    process.exit(2);
  }
  const MiB = 1024 * 1024;
  return quick
    ? {
        quick,
        port,
        readme,
        chartOnly,
        loadOnly,
        firstVisitOnly,
        profile: profile ?? false,
        latency: { rounds: 1, perRound: 10, warmup: 3 },
        throughput: { rounds: 1, total: 20, inFlight: 20, warmup: 0 },
        stream: { rounds: 1, bytes: 1 * MiB, proofBytes: 1 * MiB, proofPauseMs: 300, warmup: false },
        firstVisit: { rounds: 1, sideBySide: true },
        load: { perPath: 150 },
        signIn: { rounds: 1, sideBySide: true },
      }
    : {
        quick,
        port,
        readme,
        chartOnly,
        loadOnly,
        firstVisitOnly,
        profile: profile ?? true,
        latency: { rounds: 10, perRound: 100, warmup: 30 },
        throughput: { rounds: 5, total: 400, inFlight: 20, warmup: 40 },
        stream: { rounds: 6, bytes: 8 * MiB, proofBytes: 1 * MiB, proofPauseMs: 300, warmup: true },
        firstVisit: { rounds: firstVisitOnly ? (rounds ?? 8) : 6, sideBySide: false },
        load: { perPath: 1000 },
        signIn: { rounds: 8, sideBySide: false },
      };
}
