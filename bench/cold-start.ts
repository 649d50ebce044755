import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../infra/bundling.js';
import { FUNCTIONS, functionDefinition, type FunctionName } from '../infra/functions-catalog.js';
import { CONFIG_ENV } from '../shared/config.js';
import { ORIGIN_SECRET_ENV } from '../shared/http/origin-secret.js';
import { runNodeForJson } from './child-json.js';
import { median } from './stats.js';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
export const EMPTY_HANDLER = 'empty handler';
export const SDK_CLIENTS_ONLY = 'SDK clients only';
export const SHARP_ONLY = 'sharp alone';

export interface ColdStartFigures {
  bundleBytes: number;
  /** Native packages left out of the bundle and loaded from node_modules, as the function's asset carries them. */
  external: string[];
  /** Median time to `require` the bundle in a fresh process: module evaluation, config, logger and SDK clients built. */
  initMs: number;
  /** The same with `NODE_OPTIONS=--enable-source-maps`, as the stack deploys it. */
  initWithSourceMapsMs: number;
  /** Median time from the process's start until the handler is ready (Node's own boot included). */
  readyMs: number;
}

export type ColdStartResult = Record<string, ColdStartFigures>;

// Runs in the fresh process: the clock starts just before the bundle is required.
const MEASURE = `
const { performance } = require('node:perf_hooks');
const start = performance.now();
const mod = require(process.argv[2]);
const ready = performance.now();
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ initMs: ready - start, readyMs: ready }));
`;

/** Lambda's environment, minus the network: configuration as the stack sets it, fake credentials, no endpoints. */
function lambdaLikeEnv(nodeOptions: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark-secret',
    AWS_SESSION_TOKEN: 'benchmark-session',
    [CONFIG_ENV.tableName]: 'pressline-articles',
    [CONFIG_ENV.mediaBucket]: 'pressline-media',
    [CONFIG_ENV.siteBucket]: 'pressline-site',
    [CONFIG_ENV.publicBaseUrl]: 'https://news.example.com',
    // As the stack names it for the HTTP functions; they read it on their first request, not at load.
    [ORIGIN_SECRET_ENV.secretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-origin-AbCdEf',
    NODE_OPTIONS: nodeOptions,
  };
}

function measureOnce(script: string, bundle: string, nodeOptions: string): Promise<{ initMs: number; readyMs: number }> {
  return runNodeForJson([script, bundle], { env: lambdaLikeEnv(nodeOptions), what: `loading ${bundle}` });
}

/**
 * Bundles every function of the catalog with the stack's esbuild options, plus an empty handler,
 * and loads each in fresh `node` processes, round-robin so a noisy moment hits all alike. A
 * function's native modules (sharp) stay out of its bundle, as in the stack, and load from this
 * project's node_modules, linked beside the bundle where the asset has its own copy.
 */
export async function benchColdStart(runs: number): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pressline-bench-bundles-'));
  try {
    const entries: Record<string, { entry: string; external: readonly string[] }> = {
      [EMPTY_HANDLER]: { entry: join(PROJECT, 'bench/empty-handler.ts'), external: [] },
      [SDK_CLIENTS_ONLY]: { entry: join(PROJECT, 'bench/sdk-clients-handler.ts'), external: [] },
      [SHARP_ONLY]: { entry: join(PROJECT, 'bench/sharp-handler.ts'), external: ['sharp'] },
    };
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = functionDefinition(name);
      entries[name] = { entry: join(PROJECT, fn.entry), external: fn.nativeModules ?? [] };
    }
    const bundles: Record<string, string> = {};
    for (const [name, { entry, external }] of Object.entries(entries)) {
      const outfile = join(dir, name.replace(/\W+/g, '-'), 'index.js');
      await build(esbuildOptionsFor(entry, outfile, external));
      if (external.length > 0) {
        symlinkSync(join(PROJECT, 'node_modules'), join(dirname(outfile), 'node_modules'), 'dir');
      }
      bundles[name] = outfile;
    }
    const script = join(dir, 'measure.cjs');
    writeFileSync(script, MEASURE);

    const samples: Record<string, { init: number[]; initMaps: number[]; ready: number[] }> = {};
    for (const name of Object.keys(bundles)) samples[name] = { init: [], initMaps: [], ready: [] };
    for (let run = 0; run < runs; run++) {
      for (const [name, bundle] of Object.entries(bundles)) {
        const plain = await measureOnce(script, bundle, '');
        const withMaps = await measureOnce(script, bundle, '--enable-source-maps');
        samples[name]!.init.push(plain.initMs);
        samples[name]!.ready.push(plain.readyMs);
        samples[name]!.initMaps.push(withMaps.initMs);
      }
    }
    const result: ColdStartResult = {};
    for (const [name, bundle] of Object.entries(bundles)) {
      const s = samples[name]!;
      result[name] = {
        bundleBytes: statSync(bundle).size,
        external: [...entries[name]!.external],
        initMs: median(s.init),
        initWithSourceMapsMs: median(s.initMaps),
        readyMs: median(s.ready),
      };
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
