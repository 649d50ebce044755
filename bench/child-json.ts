import { spawn } from 'node:child_process';

/**
 * Runs `node <args>` in a fresh process (its own event loop and heap, as a separate client or a
 * Lambda cold start needs) and parses the JSON it prints; stderr goes into the error on failure.
 */
export function runNodeForJson<T>(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; what: string }): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${options.what} exited with ${code}: ${err.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch (error) {
        reject(new Error(`${options.what} printed no result: ${out.slice(0, 500)} ${err.slice(-500)}`, { cause: error }));
      }
    });
    child.stdin.end(options.input ?? '');
  });
}
