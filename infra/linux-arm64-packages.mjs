// @ts-check
/**
 * Native packages for Lambda's linux-arm64, fetched at `npm ci` and copied into a bundle at synth.
 *
 * npm installs the optional binaries of one platform per install: the host's (measured:
 * `--cpu=arm64 --cpu=x64` keeps only the last). The processing function runs sharp on Lambda's
 * linux-arm64 (glibc), so `postinstall` installs, for each package named, exactly the versions
 * package-lock.json pins for it and its linux-arm64 dependencies into `.build/<name>-linux-arm64/`
 * (git-ignored); the CDK bundle copies that folder's node_modules into the function's asset
 * (`linuxArm64CommandHooks` in infra/bundling.ts): no Docker, no network at synth.
 *
 *   node infra/linux-arm64-packages.mjs fetch sharp         install unless already there; exit 1 on failure
 *   node infra/linux-arm64-packages.mjs postinstall sharp   the same, but a failure only warns, so `npm ci` finishes
 *   node infra/linux-arm64-packages.mjs copy sharp <dir>    check the folder against the lock, copy it into <dir>
 *
 * Plain JavaScript with no dependencies: `postinstall` must run before anything else works.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lambda's platform for Pressline's functions (arm64, Amazon Linux 2023: glibc). */
const TARGET = { os: 'linux', cpu: 'arm64', libc: 'glibc' };

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ version?: string, integrity?: string, os?: string[], cpu?: string[], libc?: string[],
 *   dependencies?: Record<string, string>, optionalDependencies?: Record<string, string> }} LockEntry
 * @typedef {{ name: string, version: string, integrity: string | undefined, optional: boolean }} LockedPackage
 */

/** @param {string} projectRoot @param {string} name */
export function linuxArm64Folder(projectRoot, name) {
  return join(projectRoot, '.build', `${name.replace(/^@/, '').replace(/\//g, '-')}-linux-arm64`);
}

/**
 * The package and everything it loads on linux-arm64, as package-lock.json pins them: its
 * dependencies and those optional dependencies whose os/cpu/libc fit the target (the prebuilt
 * binaries), resolved the way Node resolves them from the package's folder.
 * @param {string} projectRoot @param {string} name @returns {LockedPackage[]}
 */
export function lockedClosure(projectRoot, name) {
  /** @type {{ packages: Record<string, LockEntry> }} */
  const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8'));
  /** @type {Map<string, LockedPackage>} */
  const found = new Map();
  /** @param {string} from @param {string} dependency @param {boolean} optional */
  const visit = (from, dependency, optional) => {
    const path = resolveInLock(lock.packages, from, dependency);
    const entry = path === undefined ? undefined : lock.packages[path];
    if (path === undefined || entry === undefined) {
      if (optional) return;
      throw new Error(`package-lock.json has no ${dependency} for ${from || 'the project'}: run npm install ${name} first`);
    }
    if (!fits(entry)) return;
    const previous = found.get(dependency);
    if (previous && previous.version !== entry.version) throw new Error(`${name} needs ${dependency} ${previous.version} and ${entry.version}; this script installs one version of each`);
    if (previous) {
      previous.optional &&= optional;
      return;
    }
    found.set(dependency, { name: dependency, version: entry.version ?? '', integrity: entry.integrity, optional });
    for (const next of Object.keys(entry.dependencies ?? {})) visit(path, next, false);
    for (const next of Object.keys(entry.optionalDependencies ?? {})) visit(path, next, true);
  };
  visit('', name, false);
  return [...found.values()];
}

/**
 * Why the folder does not hold exactly the locked closure (missing, another version, other bytes), or
 * undefined when it does.
 * @param {string} projectRoot @param {string} name @returns {string | undefined}
 */
export function folderProblem(projectRoot, name) {
  const folder = linuxArm64Folder(projectRoot, name);
  const hiddenLock = join(folder, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenLock)) return `${folder} is missing`;
  /** @type {{ packages: Record<string, LockEntry> }} */
  const installed = JSON.parse(readFileSync(hiddenLock, 'utf8'));
  for (const wanted of lockedClosure(projectRoot, name)) {
    const path = `node_modules/${wanted.name}`;
    const entry = installed.packages[path];
    if (!entry || !existsSync(join(folder, path, 'package.json'))) return `${folder} has no ${wanted.name}`;
    if (entry.version !== wanted.version) return `${folder} has ${wanted.name} ${entry.version}, package-lock.json pins ${wanted.version}`;
    if (wanted.integrity && entry.integrity !== wanted.integrity) return `${folder} has ${wanted.name} ${entry.version} with another integrity than package-lock.json's`;
  }
  return undefined;
}

/**
 * Installs the locked closure for linux-arm64 into the package's folder, unless it is already there.
 * @param {string} projectRoot @param {string} name
 */
export function fetchLinuxArm64(projectRoot, name) {
  const folder = linuxArm64Folder(projectRoot, name);
  const packages = lockedClosure(projectRoot, name);
  const own = packages.find((p) => p.name === name);
  if (folderProblem(projectRoot, name) === undefined) {
    console.log(`${name} ${own?.version} for linux-arm64: already in ${folder}`);
    return;
  }
  rmSync(folder, { recursive: true, force: true });
  // The required packages pinned by name, so npm picks the locked versions rather than the newest in
  // range. The binaries cannot be named (npm checks a named package against the host's platform, not
  // --cpu): they come as sharp's optional dependencies, which it pins exactly, and are checked
  // against the lock below. No scripts (the prebuilt binaries need none, and none could run for another platform) and no
  // bin links (the asset needs no executables).
  const args = [
    'install', `--os=${TARGET.os}`, `--cpu=${TARGET.cpu}`, `--libc=${TARGET.libc}`,
    '--no-save', '--no-package-lock', '--ignore-scripts', '--no-bin-links', '--no-audit', '--no-fund',
    '--prefix', folder,
    ...packages.filter((p) => !p.optional).map((p) => `${p.name}@${p.version}`),
  ];
  console.log(`${name} ${own?.version} for linux-arm64: npm ${args.join(' ')}`);
  const result = spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm install exited with ${result.status}`);
  const problem = folderProblem(projectRoot, name);
  if (problem) throw new Error(`after npm install, ${problem}`);
}

/**
 * Copies the package's linux-arm64 node_modules into `destination`, after checking it against the lock.
 * @param {string} projectRoot @param {string} name @param {string} destination
 */
export function copyLinuxArm64(projectRoot, name, destination) {
  const problem = folderProblem(projectRoot, name);
  if (problem) {
    throw new Error(`${name} for linux-arm64: ${problem}. Run \`node infra/linux-arm64-packages.mjs fetch ${name}\` (npm ci runs it), then synthesize again.`);
  }
  cpSync(join(linuxArm64Folder(projectRoot, name), 'node_modules'), destination, {
    recursive: true,
    filter: (source) => basename(source) !== '.package-lock.json',
  });
}

/**
 * The lock path a package at `from` loads `dependency` from: its own node_modules, then each enclosing one.
 * @param {Record<string, LockEntry>} packages @param {string} from @param {string} dependency
 */
function resolveInLock(packages, from, dependency) {
  for (let base = from; ; ) {
    const candidate = base ? `${base}/node_modules/${dependency}` : `node_modules/${dependency}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** npm's os/cpu/libc fields: a list of allowed values, or of `!excluded` ones. @param {LockEntry} entry */
function fits(entry) {
  return /** @type {const} */ (['os', 'cpu', 'libc']).every((field) => {
    const values = entry[field];
    if (!values || values.length === 0) return true;
    if (values.includes(`!${TARGET[field]}`)) return false;
    const allowed = values.filter((v) => !v.startsWith('!'));
    return allowed.length === 0 || allowed.includes(TARGET[field]);
  });
}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'copy' && rest.length === 2) {
    copyLinuxArm64(PROJECT_ROOT, /** @type {string} */ (rest[0]), /** @type {string} */ (rest[1]));
    return;
  }
  if ((command === 'fetch' || command === 'postinstall') && rest.length > 0) {
    for (const name of rest) {
      try {
        fetchLinuxArm64(PROJECT_ROOT, name);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (command === 'fetch') throw error;
        // npm ci still succeeds: `npm start` and the tests run on the host's binaries. Only a synth of
        // a function that needs these fails, and it says to run `fetch`.
        console.warn(
          [
            '',
            '!!! ' + '-'.repeat(76),
            `!!! Could not fetch ${name}'s linux-arm64 binaries for the Lambda bundle: ${message}`,
            `!!! \`cdk synth\` / \`cdk deploy\` will fail until this works: node infra/linux-arm64-packages.mjs fetch ${name}`,
            '!!! ' + '-'.repeat(76),
            '',
          ].join('\n'),
        );
      }
    }
    return;
  }
  console.error('usage: node infra/linux-arm64-packages.mjs fetch|postinstall <package…> | copy <package> <node_modules folder>');
  process.exitCode = 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
