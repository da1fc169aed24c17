// The shape every benchmark reports: rows of the one table `npm run bench` prints and saves.

export interface Row {
  /** Benchmark number and measure, e.g. "2a". */
  id: string;
  measure: string;
  value: number | null;
  unit: string;
  /** Human-readable goal ("≤ 45 KB", "≥ 0.8×"), or "—" for reported-only measures. */
  goal: string;
  /** What the value is compared with in the same run (value and unit), if anything. */
  baseline?: { value: number; unit: string; label: string } | null;
  /** value / baseline (or the ratio the goal is stated in). */
  ratio?: number | null;
  /** true = meets the goal, false = misses it, null = reported only. */
  pass: boolean | null;
  /** Context that matters for reading the number (load-generator CPU, sample counts, …). */
  notes?: string;
}

export interface BenchmarkResult {
  benchmark: string;
  title: string;
  rows: Row[];
  /** Everything else measured (raw summaries, per-level details), kept in the JSON only. */
  details?: Record<string, unknown>;
  durationMs?: number;
  error?: string;
}

/** Benchmarks run as child processes and hand their result back on this line of stdout. */
export const RESULT_MARKER = '@@BENCH_RESULT@@';

export function emit(result: BenchmarkResult): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

/** Runs a benchmark body, always emitting a result (with the error, if it threw). */
export async function runBenchmark(benchmark: string, title: string, body: () => Promise<Omit<BenchmarkResult, 'benchmark' | 'title'>>) {
  const started = performance.now();
  try {
    const result = await body();
    emit({ benchmark, title, ...result, durationMs: Math.round(performance.now() - started) });
    process.exit(0);
  } catch (error) {
    console.error(error);
    emit({ benchmark, title, rows: [], error: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - started) });
    process.exit(1);
  }
}

export const log = (...args: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 23)}]`, ...args);
