import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WIRE = `${ROOT}test/fixtures/khan-yunis-wire.txt`;
const PHOTO = `${ROOT}test/fixtures/photos/gps.jpg`;

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

/** `npm run submit:wire -- …`, as a reporter runs it, against the test runtime. */
async function submitWire(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, PRESSLINE_API_KEY: runtime.apiKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return run(process.execPath, ['--import', 'tsx', `${ROOT}bin/submit-wire.ts`, WIRE, '--api', runtime.baseUrl, ...args], { env, cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('npm run submit:wire', () => {
  const args = ['--headline', 'Cairo talks make progress', '--section', 'world', '--byline', 'AFP', '--photo', PHOTO, '--alt', 'A man stands by the rubble'];

  it('publishes wire copy with its caption and credit, and prints the URL and short link', async () => {
    const { code, stdout } = await submitWire(...args);
    expect(code).toBe(0);
    const [url, short] = stdout.trim().split('\n');
    expect(url).toMatch(/\/world\/\d{4}\/\d{2}\/\d{2}\/cairo-talks-make-progress\/$/);
    const page = await (await fetch(url!)).text();
    expect(page).toContain('<span class="credit">AFP</span>');
    expect(page).toContain('<h2>Cairo talks</h2>');
    expect(short).toMatch(/^Short link: http:\/\/\S+\/s\/[2-9a-z]{7}$/);
  });

  it('never publishes twice when run again', async () => {
    const first = await submitWire(...args);
    const again = await submitWire(...args);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toContain('Already published by an earlier run');
  });

  it('shows the API’s field errors and exits 1', async () => {
    const { code, stderr } = await submitWire('--headline', 'x', '--section', 'api');
    expect(code).toBe(1);
    expect(stderr).toMatch(/400: .*\n\s+section: .*reserved/);
  });

  it('explains a missing option and exits 2', async () => {
    const { code, stderr } = await submitWire('--section', 'world');
    expect(code).toBe(2);
    expect(stderr).toContain('--headline is required');
  });
});
