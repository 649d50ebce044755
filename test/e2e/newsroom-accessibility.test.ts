import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { cameraJpeg } from '../support/photos.js';
import { axeViolations, openNewsroom, previewOf, signIn, snapshot, waitForStatus, wireArticle, type NewsroomTab } from './support/newsroom.js';
import { checkHtmlWithNu, launchChromium, type NuMessage } from './support/tools.js';

/** Every view and state of the newsroom a person meets, in the order the walk below reaches them. */
const VIEWS = [
  'sign-in',
  'sign-in-refused',
  'articles',
  'new-article',
  'field-errors',
  'photo-and-preview',
  'published',
  'take-down-dialog',
  'conflict',
] as const;
type View = (typeof VIEWS)[number];

let runtime: TestRuntime;
let browser: Browser;
let tab: NewsroomTab;
let folder: string;
const axe = new Map<View, string[]>();
let nu: NuMessage[];

async function record(view: View, page: Page): Promise<void> {
  axe.set(view, await axeViolations(page));
  writeFileSync(join(folder, `${view}.html`), await snapshot(page));
}

/** Walks through every view with the keyboard where a person would, recording axe's verdict and the DOM of each. */
async function walk(page: Page): Promise<void> {
  await record('sign-in', page);
  await page.getByLabel('API key', { exact: true }).fill('0123456789abcdef.not-a-real-key');
  await page.getByLabel('API key', { exact: true }).press('Enter');
  await page.locator('#api-key-error').filter({ hasText: 'That key was not accepted' }).waitFor();
  await record('sign-in-refused', page);

  await page.getByLabel('API key', { exact: true }).fill(runtime.apiKey);
  await page.getByLabel('API key', { exact: true }).press('Enter');
  await page.locator('table.desk tbody tr').first().waitFor();
  await record('articles', page);

  await page.getByRole('button', { name: 'New article' }).press('Enter');
  await page.getByLabel('Headline', { exact: true }).waitFor();
  await record('new-article', page);

  await page.getByLabel('Body', { exact: true }).fill('Some text.');
  await page.getByRole('button', { name: 'Publish', exact: true }).press('Enter');
  await page.locator('#f-headline-error').waitFor();
  await record('field-errors', page);

  const { caption, body } = wireArticle();
  await page.getByLabel('Headline', { exact: true }).fill('Israel pulls troops out of southern Gaza');
  await page.getByLabel('Section', { exact: true }).selectOption('world');
  await page.getByLabel('Body', { exact: true }).fill(body);
  await page.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'lead.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg(1600, 1067) });
  await page.getByLabel('Alt text', { exact: true }).fill('Rubble of a destroyed building');
  await page.getByLabel('Caption', { exact: true }).fill(caption);
  await page.getByLabel('Credit', { exact: true }).fill('AFP');
  await page.locator('#f-photo-status').filter({ hasText: 'Photo ready' }).waitFor({ timeout: 60_000 });
  await previewOf(page).locator('picture img').waitFor();
  await record('photo-and-preview', page);

  await page.getByRole('button', { name: 'Publish', exact: true }).press('Enter');
  await waitForStatus(page, 'published');
  await record('published', page);

  await page.getByRole('button', { name: 'Take down' }).press('Enter');
  await page.getByRole('dialog', { name: 'Take this article down?' }).waitFor();
  await record('take-down-dialog', page);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });

  // Someone else changes the draft meanwhile: saving answers 412, and the newsroom offers to reload.
  await page.getByRole('button', { name: 'Articles', exact: true }).press('Enter');
  await page.getByRole('button', { name: 'A draft someone else is editing' }).press('Enter');
  await waitForStatus(page, 'draft');
  await changeDraftBehindTheEditorsBack();
  await page.getByLabel('Standfirst', { exact: true }).fill('Typed before the conflict, kept after it.');
  await page.getByRole('button', { name: 'Save draft' }).press('Enter');
  await page.getByRole('button', { name: 'Reload, keeping what I typed' }).waitFor();
  await record('conflict', page);
  await page.getByRole('button', { name: 'Reload, keeping what I typed' }).press('Enter');
  await waitForStatus(page, 'draft');
  expect(await page.getByLabel('Standfirst', { exact: true }).inputValue()).toBe('Typed before the conflict, kept after it.');
  await page.getByRole('button', { name: 'Save draft' }).press('Enter');
  await page.locator('#article-status').filter({ hasText: 'version 3' }).waitFor();
}

let draftId: string;
async function changeDraftBehindTheEditorsBack(): Promise<void> {
  const response = await fetch(`${runtime.apiUrl}/articles/${draftId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', 'if-match': '"1"' },
    body: JSON.stringify(wireSubmission({ withPhoto: false, headline: 'A draft someone else is editing' })),
  });
  if (response.status !== 200) throw new Error(`the other edit answered ${response.status}`);
}

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
  folder = mkdtempSync(join(tmpdir(), 'pressline-newsroom-vnu-'));
  await runtime.publishOk(wireSubmission({ withPhoto: false, headline: 'A published article on the desk' }));
  const draft = await runtime.publish({ ...wireSubmission({ withPhoto: false, headline: 'A draft someone else is editing' }), status: 'draft' });
  draftId = ((await draft.json()) as { id: string }).id;
  tab = await openNewsroom(browser, runtime.baseUrl);
  await walk(tab.page);
  // One run of the checker over every view: its JVM start dominates.
  nu = await checkHtmlWithNu(VIEWS.map((view) => join(folder, `${view}.html`)));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('every newsroom view passes axe-core and the W3C Nu HTML Checker', () => {
  it('reached every view, keyboard only, with no script error or CSP refusal', () => {
    expect([...axe.keys()]).toEqual([...VIEWS]);
    expect(tab.problems).toEqual([]);
  });

  it.each(VIEWS)('%s has zero axe violations', (view) => {
    expect(axe.get(view)).toEqual([]);
  });

  it.each(VIEWS)('%s has zero Nu errors', (view) => {
    const errors = nu.filter((m) => m.url?.endsWith(`/${view}.html`)).map((m) => `${m.lastLine ?? '?'}: ${m.message} [${m.extract ?? ''}]`);
    expect(errors).toEqual([]);
  });
});

describe('the status region', () => {
  it('stays in the accessibility tree while empty, so its first announcement is heard', async () => {
    const { page } = await openNewsroom(browser, runtime.baseUrl);
    // A role query finds only what assistive technology can: not an element with display:none.
    const status = page.getByRole('status');
    expect(await status.count()).toBe(1);
    expect(await status.textContent()).toBe('');
    await page.context().close();
  });
});

describe('the keyboard alone', () => {
  /** Presses Tab until the focused element matches, as a keyboard user would; fails after `limit` presses. */
  async function tabTo(page: Page, matches: string, limit = 15): Promise<void> {
    for (let press = 0; press < limit; press++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(matches)})`)) return;
    }
    throw new Error(`${limit} presses of Tab never reached ${matches}`);
  }

  it('signs in and opens a new article with Tab, typing and Enter, the focus always visible', async () => {
    const { page } = await openNewsroom(browser, runtime.baseUrl);
    await tabTo(page, '#api-key');
    await page.keyboard.type(runtime.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Articles', level: 1 }).waitFor();
    await tabTo(page, '#nav-new');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New article', level: 1 }).waitFor();
    expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
    await tabTo(page, '#f-headline');
    await page.keyboard.type('Typed without a mouse');
    expect(await page.getByLabel('Headline', { exact: true }).inputValue()).toBe('Typed without a mouse');
    await page.context().close();
  });
});
