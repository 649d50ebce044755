import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES } from '../../infra/bundle-budgets.js';
import { PROJECT_ROOT } from '../../infra/constructs/pressline-function.js';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import type { PresslineStack } from '../../infra/pressline-stack.js';
import { buildApp } from './support/synth.js';
import { logicalIdOf, resourcesOf } from './support/template.js';

const names = Object.keys(FUNCTIONS) as FunctionName[];
const outdir = mkdtempSync(join(tmpdir(), 'pressline-bundles-'));
let stack: PresslineStack;
let template: Template;

// The one full synth: esbuild bundles every handler locally (no Docker), as `cdk deploy` would.
beforeAll(() => {
  const built = buildApp({ bundle: true, outdir });
  stack = built.stack;
  built.app.synth();
  template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as Record<string, unknown>);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The directory of a function's code asset in the cloud assembly. */
function assetDirectory(name: FunctionName): string {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack.functions[name].function)];
  const s3Key = (fn?.Properties.Code as { S3Key?: unknown } | undefined)?.S3Key;
  if (typeof s3Key !== 'string') throw new Error(`${name}: no asset key in the template`);
  return join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
}

/** Which handler files of functions/ went into a bundle, according to its source map. */
function handlerFilesIn(name: FunctionName): string[] {
  const directory = assetDirectory(name);
  const map = JSON.parse(readFileSync(join(directory, 'index.js.map'), 'utf8')) as { sources: string[] };
  return map.sources.map((source) => source.replace(/\\/g, '/')).filter((source) => /(^|\/)functions\/[^/]+\.ts$/.test(source)).map((source) => source.slice(source.lastIndexOf('functions/')));
}

/** What `npm start` runs: the handler modules infra/local/runtime.ts imports, by name. */
function localRuntimeHandlers(): Record<string, string> {
  const runtimeFile = join(PROJECT_ROOT, 'infra/local/runtime.ts');
  const source = readFileSync(runtimeFile, 'utf8');
  const handlers: Record<string, string> = {};
  for (const match of source.matchAll(/(\w+)\s*:\s*\(\s*\(?\s*await import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const file = relative(PROJECT_ROOT, resolve(dirname(runtimeFile), match[2]!)).replace(/\\/g, '/').replace(/\.js$/, '.ts');
    handlers[match[1]!] = file;
  }
  return handlers;
}

describe('the deployed bundles', () => {
  it('are built from the catalog’s entries, the same files the local runtime imports', () => {
    const catalog = Object.fromEntries(names.map((name) => [name, FUNCTIONS[name].entry]));
    expect(localRuntimeHandlers()).toEqual(catalog);
    for (const name of names) expect(stack.functions[name].entry).toBe(resolve(PROJECT_ROOT, FUNCTIONS[name].entry));
  });

  it.each(names)('the %s bundle contains its own handler file and no other', (name) => {
    expect(handlerFilesIn(name)).toEqual([FUNCTIONS[name].entry]);
  });

  it.each(names)('the %s bundle is minified JavaScript with a source map, within its byte budget', (name) => {
    const file = join(assetDirectory(name), 'index.js');
    const bytes = statSync(file).size;
    console.info(`bundle ${name}: ${bytes} bytes (budget ${BUNDLE_BUDGET_BYTES[name]})`);
    expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES[name]);
    expect(readFileSync(file, 'utf8').trimEnd()).toMatch(/\/\/# sourceMappingURL=index\.js\.map$/);
    expect(existsSync(join(assetDirectory(name), 'index.js.map'))).toBe(true);
  });
});
