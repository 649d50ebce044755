import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/pressline-function.js';
import { FUNCTIONS, functionDefinition, type FunctionName } from '../../infra/functions-catalog.js';
import { copyLinuxArm64, folderProblem, linuxArm64Folder, lockedClosure } from '../../infra/linux-arm64-packages.mjs';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

interface Lock {
  packages: Record<string, { version?: string }>;
}

/** A project root whose package-lock.json is this one's changed by `edit`, sharing this checkout's `.build/`. */
function projectWithLock(edit: (lock: Lock) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'pressline-arm64-'));
  temporary.push(root);
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Lock;
  edit(lock);
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
  symlinkSync(join(PROJECT_ROOT, '.build'), join(root, '.build'));
  return root;
}

describe('sharp’s linux-arm64 packages for the processing function', () => {
  it('are sharp, its dependencies and the linux-arm64 glibc binaries, at the versions package-lock.json pins', () => {
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const closure = lockedClosure(PROJECT_ROOT, 'sharp');
    expect(closure.map((p) => p.name)).toEqual(expect.arrayContaining(['sharp', '@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']));
    // No other platform's binaries: not the host's, not musl, not wasm.
    expect(closure.filter((p) => p.name.startsWith('@img/sharp-')).map((p) => p.name).sort()).toEqual(['@img/sharp-libvips-linux-arm64', '@img/sharp-linux-arm64']);
    for (const p of closure) expect(p.version, p.name).toBe(lock.packages[`node_modules/${p.name}`]?.version);
    expect(closure.filter((p) => p.optional).map((p) => p.name).sort()).toEqual(['@img/sharp-libvips-linux-arm64', '@img/sharp-linux-arm64']);
  });

  it('are in .build/sharp-linux-arm64/, as npm ci’s postinstall left them', () => {
    expect(linuxArm64Folder(PROJECT_ROOT, 'sharp')).toBe(join(PROJECT_ROOT, '.build', 'sharp-linux-arm64'));
    expect(folderProblem(PROJECT_ROOT, 'sharp')).toBeUndefined();
  });

  it('are fetched by postinstall for every native module of the catalog', () => {
    const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const fetched = /^node infra\/linux-arm64-packages\.mjs postinstall (.+)$/.exec(scripts.postinstall ?? '')?.[1]?.split(' ') ?? [];
    const declared = (Object.keys(FUNCTIONS) as FunctionName[]).flatMap((name) => functionDefinition(name).nativeModules ?? []);
    expect(declared.length).toBeGreaterThan(0);
    expect(fetched).toEqual(expect.arrayContaining(declared));
  });

  it('are refused, with the command that fixes it, when the folder no longer matches the lock', () => {
    const upgraded = projectWithLock((lock) => {
      const entry = lock.packages['node_modules/@img/sharp-linux-arm64'];
      if (entry) entry.version = '0.99.0';
    });
    expect(folderProblem(upgraded, 'sharp')).toMatch(/has @img\/sharp-linux-arm64 \d+\.\d+\.\d+, package-lock\.json pins 0\.99\.0/);
    expect(() => copyLinuxArm64(upgraded, 'sharp', join(upgraded, 'out'))).toThrow(/node infra\/linux-arm64-packages\.mjs fetch sharp/);
  });
});
