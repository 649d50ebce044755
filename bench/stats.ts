/** Small statistics for the benchmark: exact percentiles over every sample, never averages of averages. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank: the value below which p% of the samples fall, always an observed sample.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Operations per second of `work`, as the median of several timed rounds after a warm-up, so one
 * round slowed by a neighbour (other tests run on this machine) does not decide the figure.
 */
export function opsPerSecond(work: () => unknown, options: { warmupMs?: number; roundMs?: number; rounds?: number } = {}): { median: number; min: number; max: number; rounds: number[] } {
  const { warmupMs = 300, roundMs = 250, rounds = 7 } = options;
  let sink: unknown;
  const until = performance.now() + warmupMs;
  while (performance.now() < until) sink = work();
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    // Check the clock every few operations only: reading it costs as much as a tiny operation.
    while (elapsed < roundMs) {
      for (let i = 0; i < 8; i++) sink = work();
      ops += 8;
      elapsed = performance.now() - start;
    }
    results.push((ops * 1000) / elapsed);
  }
  if (sink === Symbol.for('never')) console.log(sink); // keeps `work`'s result alive so it is not optimised away
  return { median: median(results), min: Math.min(...results), max: Math.max(...results), rounds: results };
}
