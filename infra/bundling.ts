import type { BuildOptions } from 'esbuild';

/**
 * How every handler is bundled, for Lambda (NodejsFunction) and for the checks that measure the
 * bundles (bundle-size test, benchmark). The AWS SDK is bundled, not taken from the runtime, so
 * the deployed code runs exactly the SDK version the tests ran, tree-shaken.
 */
export const BUNDLE_TARGET = 'node22';

/**
 * Resolve packages through their ES module entry points first: esbuild can then drop the unused
 * parts of the AWS SDK, which cuts each function's load time by about a third (npm run bench).
 */
export const MAIN_FIELDS = ['module', 'main'];

export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: BUNDLE_TARGET,
  mainFields: MAIN_FIELDS,
  externalModules: [] as string[],
} as const;

/** The same bundle with plain esbuild: what `NodejsFunction` produces with `LAMBDA_BUNDLING`. */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    mainFields: MAIN_FIELDS,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
  };
}
