import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_NAMES, startReaderSite, type ReaderSite } from './support/reader-site.js';
import { checkHtmlWithNu, type NuMessage } from './support/tools.js';

let site: ReaderSite;
let folder: string;
let messages: NuMessage[];
const statuses = new Map<string, number>();

beforeAll(async () => {
  site = await startReaderSite();
  folder = mkdtempSync(join(tmpdir(), 'pressline-vnu-'));
  const files: string[] = [];
  for (const page of site.pages) {
    const response = await fetch(page.url);
    statuses.set(page.name, response.status);
    const file = join(folder, `${page.name}.html`);
    writeFileSync(file, await response.text());
    files.push(file);
  }
  // One run of the checker over every page: its JVM start dominates.
  messages = await checkHtmlWithNu(files);
}, 120_000);

afterAll(async () => {
  await site?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('every page type passes the W3C Nu HTML Checker', () => {
  it('checked every page', () => {
    expect(statuses.size).toBe(site.pages.length);
    expect(site.pages.map((p) => p.name)).toEqual([...PAGE_NAMES]);
    expect(new Set(site.pages.map((p) => p.kind))).toEqual(new Set(['article', 'home', 'section', 'tag', 'author', '404', '410']));
  });

  it.each(PAGE_NAMES)('%s answers its status with zero Nu errors', (name) => {
    const page = site.pages.find((p) => p.name === name);
    expect(page, `no page named ${name}`).toBeDefined();
    expect(statuses.get(name)).toBe(page!.status);
    const errors = messages.filter((m) => m.url?.endsWith(`/${name}.html`)).map((m) => `${m.lastLine ?? '?'}: ${m.message} [${m.extract ?? ''}]`);
    expect(errors).toEqual([]);
  });

  it('reports nothing outside the pages either', () => {
    expect(messages.filter((m) => !m.url).map((m) => m.message)).toEqual([]);
  });
});
