import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES } from '../../infra/bundle-budgets.js';
import { PROJECT_ROOT } from '../../infra/constructs/pressline-function.js';
import { FUNCTIONS, functionDefinition, type FunctionName } from '../../infra/functions-catalog.js';
import { lockedClosure } from '../../infra/linux-arm64-packages.mjs';
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

/** The sources a bundle was built from (its source map), with forward slashes. */
function bundledSources(name: FunctionName): string[] {
  const map = JSON.parse(readFileSync(join(assetDirectory(name), 'index.js.map'), 'utf8')) as { sources: string[] };
  return map.sources.map((source) => source.replace(/\\/g, '/'));
}

/** ELF's machine field (e_machine) of a native library: 183 is AArch64, 62 is x86-64. */
function elfMachine(file: string): number {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 4) !== '\x7fELF') throw new Error(`${file} is not an ELF file`);
  return header.readUInt16LE(18);
}
const EM_AARCH64 = 183;

/** Every native module any function declares: none may be bundled, by any function. */
const nativeModules = [...new Set(names.flatMap((name) => functionDefinition(name).nativeModules ?? []))];

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

describe('native modules in the deployed bundles', () => {
  it.each(names)('the %s bundle leaves every native module out (they cannot be bundled: a .node file is per platform)', (name) => {
    for (const native of nativeModules) {
      expect(bundledSources(name).filter((source) => source.includes(`node_modules/${native}/`))).toEqual([]);
    }
  });

  it.each(names.filter((name) => !functionDefinition(name).nativeModules))('the %s asset has no node_modules: only the bundle and its source map', (name) => {
    expect(readdirSync(assetDirectory(name)).sort()).toEqual(['index.js', 'index.js.map']);
  });

  it('only processMedia declares sharp, and its bundle loads it from node_modules', () => {
    expect(names.filter((name) => functionDefinition(name).nativeModules?.includes('sharp'))).toEqual(['processMedia']);
    expect(readFileSync(join(assetDirectory('processMedia'), 'index.js'), 'utf8')).toMatch(/require\("sharp"\)/);
  });

  it('the processMedia asset holds sharp’s linux-arm64 build, at the locked versions, and no other platform’s', () => {
    const modules = join(assetDirectory('processMedia'), 'node_modules');
    const locked = lockedClosure(PROJECT_ROOT, 'sharp');
    for (const pkg of locked) {
      const manifest = JSON.parse(readFileSync(join(modules, pkg.name, 'package.json'), 'utf8')) as { version: string };
      expect(manifest.version, pkg.name).toBe(pkg.version);
    }
    const version = locked.find((pkg) => pkg.name === 'sharp')?.version;
    const binary = join(modules, '@img/sharp-linux-arm64/lib', `sharp-linux-arm64-${version}.node`);
    const libvips = readdirSync(join(modules, '@img/sharp-libvips-linux-arm64/lib')).filter((file) => /^libvips-cpp\.so\.[\d.]+$/.test(file));
    expect(libvips).toHaveLength(1);
    expect(elfMachine(binary)).toBe(EM_AARCH64);
    expect(elfMachine(join(modules, '@img/sharp-libvips-linux-arm64/lib', libvips[0]!))).toBe(EM_AARCH64);
    // Exactly the locked linux-arm64 closure: nothing of the host's install (x64 here) or of another platform.
    const installed = readdirSync(modules).flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(modules, entry)).map((inner) => `${entry}/${inner}`) : [entry]));
    expect(installed.sort()).toEqual(locked.map((pkg) => pkg.name).sort());
    expect(installed).not.toContain('@img/sharp-linux-x64');
  });
});
