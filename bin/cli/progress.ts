import { SingleBar } from 'cli-progress';
import { size } from '../photo-upload.js';

/** Bars only where someone watches them (a terminal), or when `--progress` asks (logs, tests). */
export function barsWanted(options: { progress?: boolean }): boolean {
  return Boolean(options.progress) || Boolean(process.stderr.isTTY);
}

export interface Bar {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr. Off a terminal (`--progress` in a log) it prints a line when it
 * starts, every few seconds, and when it stops, instead of redrawing.
 */
export function progressBar(label: string, total: number, unit: 'bytes' | 'count'): Bar {
  const format = unit === 'bytes' ? `${label} [{bar}] {percentage}% | {doneSize} of {totalSize}` : `${label} [{bar}] {percentage}% | {value} of {total}`;
  const bar = new SingleBar({
    format,
    stream: process.stderr,
    noTTYOutput: true,
    hideCursor: true,
    barsize: 30,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    notTTYSchedule: 2000,
    // Off a terminal every drawing already ends its line: the newline stop() adds would be a blank line.
    clearOnComplete: !process.stderr.isTTY,
  });
  const sizes = (done: number, all: number) => ({ doneSize: size(done), totalSize: size(all) });
  bar.start(total, 0, sizes(0, total));
  let knownTotal = total;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined && newTotal !== knownTotal) {
        knownTotal = newTotal;
        bar.setTotal(newTotal);
      }
      bar.update(done, sizes(done, knownTotal));
    },
    stop: () => bar.stop(),
  };
}
