import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pressline } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pressline-npm-start-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  output: string;
  site: string;
  /** Sends Ctrl-C to the process group, as a terminal does, and resolves with everything printed. */
  interrupt(): Promise<string>;
}

async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`npm start's processes were still running 10 s after Ctrl-C`);
}

/** Runs `npm start` exactly as a newcomer would, and collects what it prints until it is ready. */
function npmStart(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', PRESSLINE_DATA_DIR: dataDir };
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  delete env.AWS_ENDPOINT_URL_S3;
  const child = spawn('npm', ['start', '--silent'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const site = /Site:\s+(http:\/\/\S+)\//.exec(output)?.[1];
      if (site && output.includes('Press Ctrl-C to stop.')) {
        resolve({
          output,
          site,
          async interrupt() {
            process.kill(-child.pid!, 'SIGINT');
            await exited;
            // npm itself exits on the signal at once; the server in the same group is done when the group is gone.
            await groupGone(child.pid!);
            return output;
          },
        });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => reject(new Error(`npm start exited early:\n${output}`)));
  });
}

describe('npm start', () => {
  it('prints the URLs and endpoints, saves an editor key, serves the site, and stops cleanly on Ctrl-C', async () => {
    const first = await npmStart();
    expect(first.output).toMatch(/API:\s+http:\/\/\S+\/api\/articles/);
    expect(first.output).toMatch(/DynamoDB:\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(first.output).toMatch(/S3:\s+http:\/\/127\.0\.0\.1:\d+/);
    const keyFile = join(dataDir, 'local-api-key');
    expect(existsSync(keyFile)).toBe(true);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(first.output).toContain(`${key}  (new editor key`);

    expect(first.output).toContain(`Newsroom:  ${first.site}/newsroom/`);
    const newsroom = await fetch(`${first.site}/newsroom/`);
    expect(newsroom.status).toBe(200);
    expect(newsroom.headers.get('content-security-policy')).toMatch(/script-src 'self'/);

    const page = await fetch(`${first.site}/no/such/page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await first.interrupt()).toContain('stopping Pressline');
  });

  it('starts again on the same data folder, keeping the data and the key', async () => {
    const second = await npmStart();
    expect(second.output).toContain('table pressline-articles: exists');
    expect(second.output).not.toContain('new editor key');
    await second.interrupt();
  });

  it('is what pressline talks to by default: its address, its saved key, and for the operators\' commands its table', async () => {
    const started = await npmStart();
    // A newcomer's shell: no key, no port, no AWS settings; only the data folder npm start used.
    const env: NodeJS.ProcessEnv = { PRESSLINE_DATA_DIR: dataDir, PRESSLINE_API_KEY: '', PORT: '', PRESSLINE_TABLE: '', AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URL_S3: '' };
    try {
      const list = await pressline(['list', '--json'], env);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toHaveProperty('articles');

      const keys = await pressline(['keys', 'list'], env);
      expect(keys.code, keys.stderr).toBe(0);
      expect(keys.stderr).toContain(`using the pipeline npm start is running at ${started.site} (table pressline-articles)`);
      expect(keys.stdout).toMatch(/^[0-9a-f]{16}\teditor\tLocal editor\t/m);
    } finally {
      await started.interrupt();
    }
    expect(existsSync(join(dataDir, 'running.json'))).toBe(false);
  });
});

