import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../bin/cli/api.js';
import { OperationError } from '../../bin/cli/errors.js';
import { pressline, PROJECT_ROOT, type CliRun } from '../support/cli.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { cameraJpeg } from '../support/photos.js';

let runtime: TestRuntime;
let folder: string;
beforeAll(async () => {
  runtime = await startTestRuntime();
  folder = mkdtempSync(join(tmpdir(), 'pressline-cli-newsroom-'));
  copyFileSync(`${PROJECT_ROOT}test/fixtures/photos/gps.jpg`, join(folder, 'lead.jpg'));
});
afterAll(async () => {
  await runtime?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** `pressline <args> --api <base>` with the runtime's editor key, as a reporter's shell would have it. */
function cli(...args: string[]): Promise<CliRun> {
  return pressline([...args, '--api', runtime.baseUrl], { PRESSLINE_API_KEY: runtime.apiKey, PRESSLINE_DATA_DIR: folder });
}

function markdown(name: string, frontMatter: string, body = 'Talks in Cairo have made "significant progress".\n\n## Cairo talks\n\nMore talks are expected.\n'): string {
  const path = join(folder, name);
  writeFileSync(path, `---\n${frontMatter.trim()}\n---\n${body}`);
  return path;
}

/** Saves a draft with `pressline publish --json` and answers its id. */
async function draft(headline: string): Promise<string> {
  const { code, stdout, stderr } = await cli('publish', markdown(`${headline}.md`, `headline: ${headline}\nsection: world\nstatus: draft`), '--json');
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as { id: string }).id;
}

const firstLine = (run: CliRun) => run.stdout.trim().split('\n')[0]!;

describe('pressline publish', () => {
  it('publishes a Markdown file with front matter and its lead photo, printing the URL and the short link', async () => {
    const file = markdown(
      'story.md',
      `
headline: Israel pulls troops out of southern Gaza
standfirst: The withdrawal follows talks in Cairo.
section: world
byline: AFP
tags: [Gaza, Egypt]
leadImage:
  photo: lead.jpg
  alt: A man stands by the rubble
  caption: Khan Yunis on Monday.
  credit: AFP`,
    );
    const run = await cli('publish', file);
    expect(run.code, run.stderr).toBe(0);
    const [url, short] = run.stdout.trim().split('\n');
    expect(url).toMatch(/\/world\/\d{4}\/\d{2}\/\d{2}\/israel-pulls-troops-out-of-southern-gaza\/$/);
    expect((await fetch(short!, { redirect: 'manual' })).headers.get('location')).toBe(url);
    const page = await (await fetch(url!)).text();
    expect(page).toContain('The withdrawal follows talks in Cairo.');
    expect(page).toContain('<h2>Cairo talks</h2>');
    expect(page).toContain('Khan Yunis on Monday.');
    expect(page).toMatch(/<img [^>]*alt="A man stands by the rubble"/);
    expect(page).toContain('href="/tags/egypt/"');
  });

  it('saves a draft and prints its private preview link', async () => {
    const run = await cli('publish', markdown('draft.md', 'headline: A draft for later\nsection: world\nstatus: draft'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Saved article [0-9a-f-]{36} as draft/);
    const preview = await fetch(firstLine(run));
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('A draft for later');
  });

  it('refuses front matter with a misspelt field before sending anything, and exits 2', async () => {
    const run = await cli('publish', markdown('typo.md', 'headline: Typo\nsection: world\nbyilne: AFP'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the front matter has problems:\n\s+\(front matter\): Unrecognized key: "byilne"/);
    expect(run.stderr).toContain('Fix them and run the command again');
  });

  it('says a missing file is missing, and exits 2', async () => {
    const run = await cli('publish', join(folder, 'nowhere.md'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nowhere.md: no such file');
  });
});

describe('pressline media upload', () => {
  it('shows a progress bar with --progress, waits for processing, and prints the id and status', async () => {
    const photo = join(folder, 'camera.jpg');
    writeFileSync(photo, await cameraJpeg(2400, 1600));
    const run = await cli('media', 'upload', photo, '--progress');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Uploading camera\.jpg \[█+\] 100% \| [\d.]+ [kM]B of [\d.]+ [kM]B/);
    expect(run.stderr).toContain('Processing camera.jpg: ready, 2400×1600 px');
    const [id, status, size] = run.stdout.trim().split('\t');
    expect(status).toBe('ready');
    expect(size).toBe('2400×1600');
    const view = (await (await fetch(`${runtime.apiUrl}/media/${id}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { status: string };
    expect(view.status).toBe('ready');
  }, 60_000);

  it('draws no bar without a terminal or --progress, and --json prints the media view', async () => {
    const run = await cli('media', 'upload', join(folder, 'lead.jpg'), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('[█');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'ready', renditions: expect.any(Array) });
  });
});

describe('pressline list, preview, schedule, correct, takedown', () => {
  it('lists articles by status, one a line, and as JSON', async () => {
    const id = await draft('Listed draft');
    const drafts = await cli('list', '--status', 'draft');
    expect(drafts.code, drafts.stderr).toBe(0);
    const line = drafts.stdout.split('\n').find((l) => l.startsWith(id));
    expect(line?.split('\t')).toEqual([id, 'draft', expect.stringMatching(/^\d{4}-/), 'Listed draft', expect.stringContaining('/api/preview/')]);
    expect(drafts.stdout).not.toMatch(/\tpublished\t/);

    const json = await cli('list', '--mine', '--json');
    const parsed = JSON.parse(json.stdout) as { articles: Array<{ id: string; status: string }> };
    expect(parsed.articles).toContainEqual(expect.objectContaining({ id, status: 'draft' }));
  });

  it('refuses an unknown status before asking the API, and exits 2', async () => {
    const run = await cli('list', '--status', 'live');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Allowed choices are draft, submitted, scheduled, published, removed");
  });

  it('issues a new preview link (the old one stops working) and revokes it', async () => {
    const id = await draft('Previewed draft');
    const first = firstLine(await cli('preview', id));
    const second = await cli('preview', id);
    expect(second.code, second.stderr).toBe(0);
    expect((await fetch(firstLine(second))).status).toBe(200);
    expect((await fetch(first)).status).toBe(404);

    const revoked = await cli('preview', id, '--revoke');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await fetch(firstLine(second))).status).toBe(404);
  });

  it('schedules a draft: not live until its time, listed as scheduled', async () => {
    const id = await draft('Embargoed until tomorrow');
    const at = new Date(Date.now() + 24 * 3600_000).toISOString();
    const run = await cli('schedule', id, '--at', at);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Scheduled article ${id} for ${at}`);
    const url = firstLine(run);
    expect(url).toMatch(/\/embargoed-until-tomorrow\/$/);
    expect((await fetch(url)).status).toBe(404);
    const scheduled = await cli('list', '--status', 'scheduled', '--json');
    expect((JSON.parse(scheduled.stdout) as { articles: Array<{ id: string; publishedAt: string }> }).articles).toContainEqual(expect.objectContaining({ id, publishedAt: at }));
  });

  it('refuses a time in the past or without its zone, and exits 2', async () => {
    const id = await draft('Not scheduled');
    for (const at of ['2020-01-01T09:00:00Z', '2099-01-01 09:00']) {
      const run = await cli('schedule', id, '--at', at);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not in the future: give a later time|ISO 8601 time with its zone, e\.g\./);
    }
  });

  it('corrects an article with a note readers see, keeping its URL', async () => {
    const published = await cli('publish', markdown('to-correct.md', 'headline: Talks resume in Cario\nsection: world'), '--json');
    const { id, url } = JSON.parse(published.stdout) as { id: string; url: string };
    const run = await cli('correct', id, '--headline', 'Talks resume in Cairo', '--note', 'An earlier version misspelt Cairo.');
    expect(run.code, run.stderr).toBe(0);
    expect(firstLine(run)).toBe(url);
    const page = await (await fetch(url)).text();
    expect(page).toContain('Talks resume in Cairo</h1>');
    expect(page).toContain('An earlier version misspelt Cairo.');

    const fromFile = await cli('correct', id, '--file', markdown('corrected.md', 'headline: Talks resume in Cairo\nsection: world', 'A corrected body.\n'), '--note', 'The body was wrong.');
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const again = await (await fetch(url)).text();
    expect(again).toContain('A corrected body.');
    expect(again).toContain('The body was wrong.');
  });

  it('takes an article down with --yes (its page answers 410), and without --yes asks for it', async () => {
    const published = await cli('publish', markdown('to-remove.md', 'headline: To be taken down\nsection: world'), '--json');
    const { id, url, shortUrl } = JSON.parse(published.stdout) as { id: string; url: string; shortUrl: string };

    const unconfirmed = await cli('takedown', id, '--reason', 'court order 2026/118');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    expect((await fetch(url)).status).toBe(200);

    const run = await cli('takedown', id, '--reason', 'court order 2026/118', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('because: court order 2026/118');
    expect((await fetch(url)).status).toBe(410);
    expect((await fetch(shortUrl, { redirect: 'manual' })).status).toBe(410);
    const history = await fetch(`${runtime.baseUrl}/api/articles/${id}/revisions`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
    expect(((await history.json()) as { revisions: Array<{ kind: string; note?: string }> }).revisions.at(-1)).toMatchObject({ kind: 'removed', note: 'court order 2026/118' });
  });

  it('turns a stale version (412) into "run the command again", as correct and schedule see it', async () => {
    const published = await cli('publish', markdown('stale.md', 'headline: Read twice\nsection: world'), '--json');
    const { id } = JSON.parse(published.stdout) as { id: string };
    expect((await cli('correct', id, '--note', 'First fix.')).code).toBe(0);
    // What a correct that read version 1 just before that change would send next.
    const stale = new ApiClient({ api: runtime.baseUrl, apiKey: runtime.apiKey }).request('PUT', `/articles/${id}`, {
      body: { headline: 'Read twice', section: 'world', body: 'Text.', correction: 'Second fix.' },
      headers: { 'if-match': '"1"' },
    });
    await expect(stale).rejects.toThrow(OperationError);
    await expect(stale).rejects.toThrow(/answered 412: .*\nSomeone changed the article since it was read: run the command again, it reads the current version first\./);
  });

  it('says an unknown article is unknown and how to find the id, and exits 1', async () => {
    const run = await cli('correct', '00000000-0000-4000-8000-000000000000', '--note', 'x');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/answered 404: .*\n`?pressline list`? shows the articles|Check the id: `pressline list`/);
  });
});

describe('keys, addresses and mistakes', () => {
  it('uses npm start’s address and saved key when given neither', async () => {
    const { port } = new URL(runtime.baseUrl);
    const run = await pressline(['list', '--json'], { PORT: port, PRESSLINE_DATA_DIR: runtime.dataDir, PRESSLINE_API_KEY: '' });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('articles');
  });

  it('refuses a bad key with what to do, and exits 1', async () => {
    const run = await pressline(['list', '--api', runtime.baseUrl], { PRESSLINE_API_KEY: '0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('answered 401');
    expect(run.stderr).toContain('Check the key: set PRESSLINE_API_KEY to a valid key');
  });

  it('says how to reach an API that does not answer, and exits 1', async () => {
    const run = await pressline(['list', '--api', 'http://127.0.0.1:9'], { PRESSLINE_API_KEY: runtime.apiKey });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Could not reach the API at http://127.0.0.1:9');
    expect(run.stderr).toContain('Start it with `npm start`, or pass --api');
  });

  it('says where the key comes from when there is none, and exits 2', async () => {
    const run = await pressline(['list', '--api', runtime.baseUrl], { PRESSLINE_API_KEY: '', PRESSLINE_DATA_DIR: join(folder, 'empty') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No API key: set PRESSLINE_API_KEY');
  });

  it('treats an unknown option as a usage error: exit 2 and where to find the options', async () => {
    const run = await cli('list', '--statuss', 'draft');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--statuss'");
    expect(run.stderr).toContain('(Did you mean --status?)');
    expect(run.stderr).toContain('add --help');
  });
});
