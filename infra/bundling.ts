import { join } from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
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

/**
 * The same bundle with plain esbuild: what `NodejsFunction` produces with `LAMBDA_BUNDLING`. Pass a
 * function's `nativeModules` (functions-catalog.ts) as `external`, as the stack does: they are loaded
 * from node_modules at run time, never bundled.
 */
export function esbuildOptionsFor(entry: string, outfile: string, external: readonly string[] = []): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    external: [...external],
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

/**
 * Bundling hooks that put each native module's linux-arm64 build (`.build/<name>-linux-arm64/`,
 * fetched by `postinstall`) into the asset's node_modules once esbuild is done. The copy runs only
 * when the function is really bundled, and first checks the folder against package-lock.json, so a
 * stale or missing folder fails the synth with the command that fixes it, rather than deploying
 * binaries that do not match what the tests ran. Commands run in bash (local bundling).
 */
export function linuxArm64CommandHooks(projectRoot: string, nativeModules: readonly string[]): ICommandHooks {
  const script = join(projectRoot, 'infra', 'linux-arm64-packages.mjs');
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) =>
      nativeModules.map((name) => [process.execPath, script, 'copy', name, join(outputDir, 'node_modules')].map(shellQuote).join(' ')),
  };
}

/** One POSIX shell word, whatever the path holds. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
