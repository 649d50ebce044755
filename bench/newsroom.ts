import { gzipSync } from 'node:zlib';
import { buildNewsroom } from '../infra/newsroom-build.js';
import { launchChromium } from '../test/e2e/support/tools.js';
import type { TestRuntime } from '../test/support/local-runtime.js';
import { median, round } from './stats.js';

export interface NewsroomBundleResult {
  /** Each built file: raw and gzip (level 9) bytes. */
  files: Array<{ key: string; bytes: number; gzipBytes: number }>;
  /** Script + stylesheet + page, gzip: what a first visit downloads. */
  totalGzipBytes: number;
  /** First load of /newsroom/ in headless Chromium, nothing cached, median of `runs`. */
  firstLoad: {
    runs: number;
    /** Navigation start to the load event. */
    loadMs: number;
    /** Navigation start to the sign-in form drawn by the app's script: when a person can type. */
    signInReadyMs: number;
    /** Bytes transferred, all responses. */
    transferredBytes: number;
  };
}

/** The newsroom app's weight as built, and its first load in Chromium through the local runtime (a new profile each run). */
export async function benchNewsroom(runtime: TestRuntime, runs: number): Promise<NewsroomBundleResult> {
  const files = (await buildNewsroom()).map((f) => ({ key: f.key, bytes: f.body.length, gzipBytes: gzipSync(f.body, { level: 9 }).length }));
  const browser = await launchChromium();
  const loads: number[] = [];
  const ready: number[] = [];
  const transferred: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const sizes: Promise<number>[] = [];
        page.on('requestfinished', (request) => sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
        await page.goto(`${runtime.baseUrl}/newsroom/`, { waitUntil: 'load' });
        await page.getByLabel('API key', { exact: true }).waitFor();
        const timing = (await page.evaluate(`(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return { load: nav.loadEventEnd || nav.loadEventStart, ready: performance.getEntriesByName('sign-in-ready')[0]?.startTime ?? performance.now() };
        })()`)) as { load: number; ready: number };
        loads.push(timing.load);
        ready.push(timing.ready);
        transferred.push((await Promise.all(sizes)).reduce((a, b) => a + b, 0));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return {
    files,
    totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    firstLoad: { runs, loadMs: round(median(loads)), signInReadyMs: round(median(ready)), transferredBytes: median(transferred) },
  };
}
