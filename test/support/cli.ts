import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRESSLINE = `${PROJECT_ROOT}bin/pressline.mjs`;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `pressline …` as a user runs it: `node bin/pressline.mjs` in a child process, stdin closed (no
 * terminal: what asks for confirmation must be told `--yes`), asynchronously so a runtime in this
 * process keeps answering it.
 */
export function pressline(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [PRESSLINE, ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}
