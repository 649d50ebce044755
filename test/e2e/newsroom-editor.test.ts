import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { NEWSROOM_TIME_ZONE_ENV } from '../../infra/newsroom-build.js';
import { openNewsroom, signIn, waitForStatus, type NewsroomTab } from './support/newsroom.js';
import { launchChromium } from './support/tools.js';

const FIRST = 'Cairo talks resume as delegations return';
const SECOND = 'Aid convoys to enter Khan Yunis at dawn';

let runtime: TestRuntime;
let browser: Browser;
let editorKey: string;
let reporterKey: string;
let tab: NewsroomTab;

/** A reporter's publish request, which with review on waits for an editor. */
async function submitAsReporter(key: string, headline: string): Promise<string> {
  const response = await fetch(`${runtime.apiUrl}/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(wireSubmission({ withPhoto: false, headline })),
  });
  const outcome = (await response.json()) as { id: string; status: string };
  if (outcome.status !== 'submitted') throw new Error(`expected a submitted article, got ${JSON.stringify(outcome)}`);
  return outcome.id;
}

/** The newsroom schedules in New York's time, whatever the browser's zone: "Publish at" is read on New York's clock. */
const NEWSROOM_ZONE = 'America/New_York';
let zoneBefore: string | undefined;

/** An instant as a `datetime-local` value on New York's wall clock. */
function newYorkWallClock(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: NEWSROOM_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

beforeAll(async () => {
  zoneBefore = process.env[NEWSROOM_TIME_ZONE_ENV];
  process.env[NEWSROOM_TIME_ZONE_ENV] = NEWSROOM_ZONE;
  [runtime, browser] = await Promise.all([startTestRuntime({ reviewRequired: true }), launchChromium()]);
  reporterKey = await runtime.newKey('Rania Reporter', 'reporter');
  editorKey = await runtime.newKey('Eddie Editor', 'editor');
  await submitAsReporter(reporterKey, FIRST);
  await submitAsReporter(reporterKey, SECOND);
  // The browser is in Tokyo: only the newsroom's zone may decide what a typed time means.
  tab = await openNewsroom(browser, runtime.baseUrl, 1280, 'Asia/Tokyo');
}, 120_000);

afterAll(async () => {
  if (zoneBefore === undefined) delete process.env[NEWSROOM_TIME_ZONE_ENV];
  else process.env[NEWSROOM_TIME_ZONE_ENV] = zoneBefore;
  await browser?.close();
  await runtime?.stop();
});

describe('an editor works through the review queue in /newsroom/', () => {
  it('signs in and finds both submitted articles by filtering on their status', async () => {
    const { page } = tab;
    await signIn(page, editorKey);
    await page.getByLabel('Status', { exact: true }).selectOption('submitted');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('button', { name: FIRST }).waitFor();
    const rows = page.locator('table.desk tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining(SECOND), expect.stringContaining(FIRST)]);
    expect(await page.locator('table.desk .badge').allTextContents()).toEqual(['submitted', 'submitted']);
  });

  it('approves the first, which goes live with its links', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: FIRST }).click();
    await waitForStatus(page, 'submitted');
    // A reporter's buttons are not an editor's: Approve and Return appear, Publish does not.
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Approve' }).click();
    await waitForStatus(page, 'published');
    const link = page.getByRole('link', { name: /\/world\/\d{4}\/\d{2}\/\d{2}\/cairo-talks-resume-as-delegations-return\/$/ });
    expect((await fetch((await link.getAttribute('href'))!)).status).toBe(200);
  });

  it('moves the published article to a new URL slug; the old one redirects there', async () => {
    const { page } = tab;
    const oldUrl = (await page.getByRole('link', { name: /cairo-talks-resume-as-delegations-return\/$/ }).getAttribute('href'))!;
    await page.getByLabel('URL slug', { exact: true }).fill('cairo-talks-resume');
    await page.getByRole('button', { name: 'Correct' }).click();
    const moved = page.getByRole('link', { name: /\/world\/\d{4}\/\d{2}\/\d{2}\/cairo-talks-resume\/$/ });
    await moved.waitFor();
    const old = await fetch(oldUrl, { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(await moved.getAttribute('href'));
  });

  it('schedules the second for a time two days ahead, typed on the newsroom’s clock (New York) and shown in UTC beside the field', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Articles', exact: true }).click();
    await page.getByRole('button', { name: SECOND }).click();
    await waitForStatus(page, 'submitted');
    const when = new Date(Date.now() + 2 * 86_400_000);
    when.setSeconds(0, 0);
    expect(await page.locator('#f-publish-at-hint').textContent()).toMatch(/^In the newsroom’s time zone, America\/New_York\./);
    await page.getByLabel('Publish at', { exact: true }).fill(newYorkWallClock(when));
    const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(when);
    expect(await page.locator('#f-publish-at-utc').textContent()).toBe(`That is ${utc} UTC.`);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await waitForStatus(page, 'scheduled');

    const listed = (await (await fetch(`${runtime.apiUrl}/articles?status=scheduled`, { headers: { authorization: `Bearer ${editorKey}` } })).json()) as { articles: Array<{ headline: string; publishedAt: string }> };
    expect(listed.articles).toEqual([expect.objectContaining({ headline: SECOND, publishedAt: when.toISOString() })]);

    // After the field, times are on the newsroom's clock too, the zone named: never the browser's (Tokyo).
    const newYork = `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: NEWSROOM_ZONE }).format(when)} ${NEWSROOM_ZONE}`;
    expect(await page.locator('.published-links p').textContent()).toBe(`These links work from ${newYork}:`);
    await page.getByRole('status').filter({ hasText: `Scheduled: it goes live at ${newYork}.` }).waitFor();
    await page.getByRole('button', { name: 'Articles', exact: true }).click();
    await expect.poll(() => page.locator('table.desk tbody tr').filter({ hasText: SECOND }).locator('time').textContent()).toBe(newYork);
  });

  it('returns a third to its reporter, the note required and shown at its field when missing', async () => {
    const { page } = tab;
    const third = 'Hospital in Khan Yunis reopens its doors';
    await submitAsReporter(reporterKey, third);
    await page.getByRole('button', { name: 'Articles', exact: true }).click();
    await page.getByRole('button', { name: third }).click();
    await waitForStatus(page, 'submitted');
    await page.getByRole('button', { name: 'Return' }).click();
    const note = page.getByLabel('Note to the reporter', { exact: true });
    await expect.poll(() => note.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-note-error').textContent()).toMatch(/^note is required/);
    await note.fill('Please add the hospital director’s name.');
    await page.getByRole('button', { name: 'Return' }).click();
    await waitForStatus(page, 'draft');
  });

  it('takes the first down after confirming, with a reason; its page then answers 410', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Articles', exact: true }).click();
    await page.getByRole('button', { name: FIRST }).click();
    await waitForStatus(page, 'published');
    const url = (await page.getByRole('link', { name: /cairo-talks-resume\/$/ }).getAttribute('href'))!;
    await page.getByRole('button', { name: 'Take down' }).click();
    const dialog = page.getByRole('dialog', { name: 'Take this article down?' });
    await dialog.getByRole('button', { name: 'Take down for good' }).click();
    // No reason, no takedown.
    expect(await dialog.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // Cancelled and opened again, it starts afresh: no stale "Give a reason".
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Take down' }).click();
    expect(await dialog.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#takedown-reason-error').isHidden()).toBe(true);
    await dialog.getByLabel('Reason', { exact: true }).fill('Court order 2026/114');
    await dialog.getByRole('button', { name: 'Take down for good' }).click();
    await waitForStatus(page, 'removed');
    expect((await fetch(url)).status).toBe(410);
  });

  it('met no script error and no Content-Security-Policy refusal on the way', () => {
    expect(tab.problems).toEqual([]);
  });
});
