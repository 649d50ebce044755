import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressline, PROJECT_ROOT, type CliRun } from '../support/cli.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { cameraJpeg } from '../support/photos.js';

const run = promisify(execFile);
const WIRE = `${PROJECT_ROOT}test/fixtures/khan-yunis-wire.txt`;
const PHOTO = `${PROJECT_ROOT}test/fixtures/photos/gps.jpg`;

let runtime: TestRuntime;
/** The command's data folder (where it remembers its uploads), and the files a reporter would pass it. */
let folder: string;
beforeAll(async () => {
  runtime = await startTestRuntime();
  folder = mkdtempSync(join(tmpdir(), 'pressline-cli-import-'));
});
afterAll(async () => {
  await runtime?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** `npx pressline import <wire> … --api <base>`, as a reporter runs it, against the test runtime. */
function importWire(...args: string[]): Promise<CliRun> {
  return pressline(['import', WIRE, '--api', runtime.baseUrl, ...args], { PRESSLINE_API_KEY: runtime.apiKey, PRESSLINE_DATA_DIR: folder });
}

describe('pressline import (npm run submit:wire)', () => {
  const args = ['--headline', 'Cairo talks make progress', '--section', 'world', '--byline', 'AFP', '--photo', PHOTO, '--alt', 'A man stands by the rubble'];

  it('publishes wire copy with its caption and credit, and prints the URL and the short link on their own lines; the short link answers 301 to the URL', async () => {
    const { code, stdout } = await importWire(...args);
    expect(code).toBe(0);
    const [url, short, ...rest] = stdout.trim().split('\n');
    expect(rest).toEqual([]);
    expect(url).toMatch(/^http:\/\/\S+\/world\/\d{4}\/\d{2}\/\d{2}\/cairo-talks-make-progress\/$/);
    expect(short).toMatch(/^http:\/\/\S+\/s\/[2-9a-z]{7}$/);
    const page = await (await fetch(url!)).text();
    expect(page).toContain('<span class="credit" dir="auto">AFP</span>');
    expect(page).toContain('<h2>Cairo talks</h2>');
    const redirect = await fetch(short!, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(url);
  });

  it('never publishes twice when run again', async () => {
    const first = await importWire(...args);
    const again = await importWire(...args);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toContain('by an earlier run: nothing new was published');
    // The photo the first run uploaded is used again, not sent a second time.
    expect(again.stderr).toContain('gps.jpg was uploaded by an earlier run');
    expect(again.stderr).not.toContain('Uploading');
  });

  it('uploads a camera JPEG with its progress, waits for processing, and publishes it as a responsive <picture>', async () => {
    const photo = join(folder, 'big.jpg');
    writeFileSync(photo, await cameraJpeg(3000, 2000));

    const { code, stdout, stderr } = await importWire('--headline', 'Troops leave Khan Yunis', '--section', 'world', '--photo', photo, '--alt', 'A street of destroyed buildings');

    expect(code).toBe(0);
    // No terminal and no --progress: a log line, not a bar.
    expect(stderr).toMatch(/Uploading big\.jpg: [\d.]+ [kM]B of [\d.]+ [kM]B \(100%\)/);
    expect(stderr).toContain('Processing big.jpg: ready, 3000×2000 px in 18 renditions');
    const page = await (await fetch(stdout.trim().split('\n')[0]!)).text();
    expect(page).toMatch(/<figure>\s*<picture><source type="image\/avif" srcset="\/media\/[0-9a-f-]{36}\/[\w-]+-320\.avif 320w, /);
    expect(page).toMatch(/<img [^>]*width="3000" height="2000"/);
    expect(page).toContain('<span class="credit" dir="auto">AFP</span>');
  }, 60_000);

  it('takes the caption and credit from --caption and --credit over the wire copy’s', async () => {
    const { code, stdout } = await importWire('--headline', 'Credit replaced', '--section', 'world', '--photo', PHOTO, '--alt', 'A man', '--caption', 'A street in Khan Yunis.', '--credit', 'Staff');
    expect(code).toBe(0);
    const page = await (await fetch(stdout.trim().split('\n')[0]!)).text();
    expect(page).toContain('<span class="credit" dir="auto">Staff</span>');
    expect(page).toContain('A street in Khan Yunis.');
  });

  it('refuses a file that is no photo before uploading it, says what to send instead, and exits 1', async () => {
    const notes = join(folder, 'notes.txt');
    writeFileSync(notes, 'Notes from the press conference, not a photo.\n');

    const { code, stdout, stderr } = await importWire('--headline', 'Talks resume in Cairo', '--section', 'world', '--photo', notes, '--alt', 'Notes');

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/The photo notes\.txt was refused: contentType must be one of image\/jpeg, image\/png, image\/webp, image\/avif; .*Give a JPEG, PNG, WebP or AVIF photo/);
    expect(stderr).not.toContain('Uploading');
  });

  it('shows processing’s reason when the bytes of a .jpg are no photo, publishes nothing, and exits 1', async () => {
    const page = join(folder, 'page.jpg');
    writeFileSync(page, '<!doctype html><html><body><script>alert(1)</script></body></html>');

    const { code, stdout, stderr } = await importWire('--headline', 'A page that is no photo', '--section', 'world', '--photo', page, '--alt', 'Nothing');

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Uploading page.jpg');
    expect(stderr).toMatch(/The photo page\.jpg was refused\. The file must be a JPEG, PNG, WebP or AVIF photo; .*export it as JPEG.* Nothing was published/);
    expect(await (await fetch(`${runtime.baseUrl}/world/`)).text()).not.toContain('A page that is no photo');
  }, 60_000);

  it('shows the API’s field errors, says what to do, and exits 1', async () => {
    const { code, stderr } = await importWire('--headline', 'x', '--section', 'api');
    expect(code).toBe(1);
    expect(stderr).toMatch(/answered 400: .*\n\s+section: .*reserved.*\nFix what is named above and run the command again\./);
  });

  it('explains a missing option and exits 2', async () => {
    const { code, stderr } = await importWire('--section', 'world');
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--headline <text>' not specified");
    expect(stderr).toContain('add --help');
  });

  it('runs as `npm run submit:wire`, the alias it replaces', async () => {
    // --print sends nothing: the alias only has to reach the same command.
    const { stdout } = await run('npm', ['run', '-s', 'submit:wire', '--', WIRE, '--headline', 'Printed', '--section', 'world', '--print'], { cwd: PROJECT_ROOT });
    expect(JSON.parse(stdout)).toMatchObject({ headline: 'Printed', section: 'world', body: expect.stringContaining('## Cairo talks') });
  });
});
