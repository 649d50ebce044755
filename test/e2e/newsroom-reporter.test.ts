import { mkdirSync } from 'node:fs';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { cameraJpeg } from '../support/photos.js';
import { ARTIFACTS, openNewsroom, previewOf, signIn, waitForStatus, wireArticle, type NewsroomTab } from './support/newsroom.js';
import { launchChromium } from './support/tools.js';

const HEADLINE = 'Israel pulls troops out of southern Gaza as Cairo talks progress';
const CORRECTION = 'An earlier version of this article misstated the day the talks resumed.';

let runtime: TestRuntime;
let browser: Browser;
let reporterKey: string;
let tab: NewsroomTab;

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
  reporterKey = await runtime.newKey('Rania Reporter', 'reporter');
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

// One reporter's session, step after step, as they would work through it.
describe('a reporter writes, previews, publishes and corrects the wire story in /newsroom/', () => {
  const { caption, body } = wireArticle();
  let shortUrl: string;
  let articleUrl: string;

  it('signs in with their key and starts a new article', async () => {
    tab = await openNewsroom(browser, runtime.baseUrl);
    await signIn(tab.page, reporterKey);
    await tab.page.getByText('Signed in as Rania Reporter (reporter)').waitFor();
    await tab.page.getByRole('button', { name: 'New article' }).click();
    // Focus moves to the new view's heading, so keyboard and screen reader users start there.
    expect(await tab.page.evaluate('document.activeElement.tagName + " " + document.activeElement.textContent')).toBe('H1 New article');
  });

  it('writes the wire story and sees the preview follow the typing', async () => {
    const { page } = tab;
    await page.getByLabel('Headline', { exact: true }).fill(HEADLINE);
    await page.getByLabel('Section', { exact: true }).selectOption('world');
    await page.getByLabel('Byline', { exact: true }).fill('AFP');
    await page.getByLabel('Tags', { exact: true }).fill('Gaza, Egypt');
    await page.getByLabel('Body', { exact: true }).fill(body);
    await previewOf(page).getByRole('heading', { name: 'Cairo talks', exact: true }).waitFor();
    await expect(previewOf(page).getByRole('heading', { level: 1 }).textContent()).resolves.toBe(HEADLINE);

    await page.getByLabel('Body', { exact: true }).press('End');
    await page.getByLabel('Body', { exact: true }).pressSequentially('\n\nDelegations are expected back in Cairo within two days.');
    await previewOf(page).getByText('Delegations are expected back in Cairo within two days.').waitFor();
  });

  it('attaches a 24-megapixel camera photo, watches it upload and waits until it is ready', async () => {
    const { page } = tab;
    await page.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'khan-yunis.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg(6000, 4000) });
    await page.getByLabel('Alt text', { exact: true }).fill('A man stands by the rubble of a destroyed building');
    await page.getByLabel('Caption', { exact: true }).fill(caption);
    await page.getByLabel('Credit', { exact: true }).fill('AFP');
    await page.locator('#f-photo-status').filter({ hasText: 'Photo ready: 6000 × 4000 pixels.' }).waitFor({ timeout: 120_000 });
    expect(await page.locator('.drop-zone img').evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).toBe(true);
    await previewOf(page).locator('picture img').waitFor();
  }, 150_000);

  it('saves a draft', async () => {
    await tab.page.getByRole('button', { name: 'Save draft' }).click();
    await waitForStatus(tab.page, 'draft');
    expect(await tab.page.locator('#article-status').textContent()).toBe('Status: draft · version 1');
  });

  it('publishes and is given the article URL and the short link, each with a copy button', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await waitForStatus(page, 'published');
    const short = page.getByRole('link', { name: /\/s\/[a-z0-9]+$/ });
    const article = page.getByRole('link', { name: /\/world\/\d{4}\/\d{2}\/\d{2}\/israel-pulls-troops-out-of-southern-gaza-as-cairo-talks-progress\/$/ });
    shortUrl = (await short.getAttribute('href'))!;
    articleUrl = (await article.getAttribute('href'))!;
    expect(await short.textContent()).toBe(shortUrl);
    expect(shortUrl.startsWith(`${runtime.baseUrl}/s/`)).toBe(true);
    expect(articleUrl.startsWith(`${runtime.baseUrl}/world/`)).toBe(true);
    await expect(page.getByRole('button', { name: 'Copy short link' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Copy article URL' }).count()).resolves.toBe(1);
    expect(await page.evaluate('document.activeElement.id')).toBe('links-heading');

    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${ARTIFACTS}newsroom-published-${width}.png`, fullPage: true });
    }
  });

  it('follows the short link to the published page, photo and all', async () => {
    const reader = await browser.newPage();
    try {
      await reader.goto(shortUrl);
      expect(reader.url()).toBe(articleUrl);
      expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe(HEADLINE);
      expect(await reader.locator('figure picture img').count()).toBe(1);
    } finally {
      await reader.close();
    }
  });

  it('corrects the article with a note, which the page then shows', async () => {
    const { page } = tab;
    await page.getByLabel('Correction note', { exact: true }).fill(CORRECTION);
    await page.getByRole('button', { name: 'Correct' }).click();
    await waitForStatus(page, 'published');
    await page.getByRole('status').filter({ hasText: 'Corrected' }).waitFor();
    const published = await (await fetch(articleUrl)).text();
    expect(published).toContain(CORRECTION);
  });

  it('sees the API’s field error next to an empty headline, with focus moved there', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Section', { exact: true }).selectOption('world');
    await page.getByLabel('Body', { exact: true }).fill('Some text.');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const headline = page.getByLabel('Headline', { exact: true });
    await expect.poll(() => headline.getAttribute('aria-invalid')).toBe('true');
    const described = await headline.evaluate((el: { getAttribute(name: string): string | null }) => el.getAttribute('aria-describedby'));
    const error = page.locator('#f-headline-error');
    expect(described?.split(' ')).toContain('f-headline-error');
    expect(await error.textContent()).toBe('headline must not be empty');
    expect(await page.evaluate('document.activeElement.id')).toBe('f-headline');
    await page.screenshot({ path: `${ARTIFACTS}newsroom-field-error-1280.png` });
  });

  it('sees why a photo is refused next to the Photo field, and can go without it', async () => {
    const { page } = tab;
    const photo = page.getByLabel('Photo', { exact: true });
    // Refused by the API before any upload: the type is one browsers cannot show.
    await photo.setInputFiles({ name: 'IMG_0001.heic', mimeType: 'image/heic', buffer: Buffer.from('not really a photo') });
    await expect.poll(() => photo.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-photo-error').textContent()).toMatch(/HEIC.*JPEG/);
    // Refused by processing after the upload: the bytes are no photo at all.
    await photo.setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('These are my notes, not a photo.') });
    await page.locator('#f-photo-error').filter({ hasText: 'The photo was refused:' }).waitFor({ timeout: 60_000 });
    expect((await photo.getAttribute('aria-describedby'))?.split(' ')).toContain('f-photo-error');

    await page.getByRole('button', { name: 'Remove the photo' }).click();
    expect(await photo.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#f-photo-status').textContent()).toBe('No photo.');
  }, 90_000);

  it('signs out while a photo is processing: its polling stops and nothing of it reaches the next session', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'New article' }).click();
    // Processing's first answer is held back until the reporter has signed out and in again.
    const polls: Route[] = [];
    let polled!: () => void;
    const firstPoll = new Promise<void>((resolve) => (polled = resolve));
    await page.route('**/api/media/*', (route) => {
      polls.push(route);
      polled();
    });
    try {
      await page.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'late.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg(800, 600) });
      await firstPoll;
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await signIn(page, reporterKey);
      await page.getByRole('button', { name: 'New article' }).click();
      await page.getByLabel('Headline', { exact: true }).waitFor();
      await polls[0]!.fulfill({ json: { id: 'late', status: 'rejected', reason: 'this answer came after signing out' } });
      // A round trip after that answer: the abandoned upload has had every chance to report.
      await page.evaluate("fetch('/api/me').then((response) => response.status)");
      expect(polls).toHaveLength(1);
      expect(await page.locator('#f-photo-error').isHidden()).toBe(true);
      expect(await page.getByLabel('Photo', { exact: true }).getAttribute('aria-invalid')).toBeNull();
      expect(await page.locator('#f-photo-status').textContent()).toBe('No photo yet.');
    } finally {
      await page.unroute('**/api/media/*');
    }
  });

  it('is told plainly, with the request id, when their key is revoked mid-session, and offered the way back in', async () => {
    const { page } = tab;
    const revoked = await runtime.newPerson('Karim Keyholder', 'reporter');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, revoked.token);
    await page.getByRole('button', { name: 'New article' }).click();
    await page.getByLabel('Headline', { exact: true }).fill('Written as the key was revoked');
    expect((await runtime.call('DELETE', `/people/${revoked.personId}/keys/${revoked.keyId}`, runtime.apiKey)).status).toBe(200);
    await page.getByRole('button', { name: 'Save draft' }).click();
    const plainly = /^Your key is no longer accepted: sign in again\. \(request id [\w-]+\)/;
    await page.locator('#key-refused').waitFor();
    expect(await page.locator('#key-refused p').textContent()).toMatch(plainly);
    expect(await page.locator('#form-problem').textContent()).toMatch(plainly);
    // What was typed stays on screen, to be copied before signing in again.
    expect(await page.getByLabel('Headline', { exact: true }).inputValue()).toBe('Written as the key was revoked');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.locator('#key-refused').count()).toBe(0);
  });

  it('met no script error and no Content-Security-Policy refusal on the way', () => {
    expect(tab.problems).toEqual([]);
  });
});
