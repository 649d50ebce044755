import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pressline-embargo-restart-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` on the test's data folder; resolves once it serves, with a way to stop it as Ctrl-C does. */
function npmStart(): Promise<{ site: string; stop(): Promise<void> }> {
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
          site,
          async stop() {
            process.kill(-child.pid!, 'SIGINT');
            await exited;
            for (let i = 0; i < 200; i++) {
              try {
                process.kill(-child.pid!, 0);
              } catch {
                return;
              }
              await new Promise((r) => setTimeout(r, 50));
            }
          },
        });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => reject(new Error(`npm start exited early:\n${output}`)));
  });
}

describe('an embargo across a restart of npm start', () => {
  it('is published by the restarted npm start when it came due while it was stopped', async () => {
    const first = await npmStart();
    const key = readFileSync(join(dataDir, 'local-api-key'), 'utf8').trim();
    const at = new Date(Date.now() + 3_000).toISOString();
    const response = await fetch(`${first.site}/api/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...wireSubmission({ headline: 'Embargo due while stopped', withPhoto: false }), publishedAt: at }),
    });
    expect(response.status).toBe(201);
    const scheduled = (await response.json()) as { id: string; status: string; url: string };
    expect(scheduled.status).toBe('scheduled');
    await first.stop();

    // Stopped through its time.
    while (Date.now() <= Date.parse(at)) await new Promise((resolve) => setTimeout(resolve, 250));

    const second = await npmStart();
    const url = scheduled.url.replace(/^http:\/\/[^/]+/, second.site);
    let status = 0;
    for (let waited = 0; status !== 200 && waited < 60_000; waited += 250) {
      status = (await fetch(url)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    const stored = (await (await fetch(`${second.site}/api/articles/${scheduled.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string; publishedAt: string };
    expect(stored).toMatchObject({ status: 'published', publishedAt: at });
    await second.stop();
  });
});
