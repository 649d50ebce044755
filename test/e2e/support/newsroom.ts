import { readFileSync } from 'node:fs';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { z } from 'zod';
import { WIRE_TEXT } from '../../support/fixtures.js';

export const ARTIFACTS = new URL('../../artifacts/', import.meta.url).pathname;
const AXE_SOURCE = readFileSync(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** The wire fixture as a reporter types it into the newsroom: the caption line apart, the subheading as Markdown. */
export function wireArticle(): { caption: string; body: string } {
  const lines = WIRE_TEXT.split('\n').map((l) => l.trim()).filter(Boolean);
  const caption = lines.shift()!.replace(/AFP$/, '').trim();
  const body = lines
    .filter((l) => !/^Short link:?$/.test(l))
    .map((l) => (l === 'Cairo talks' ? '## Cairo talks' : l))
    .join('\n\n');
  return { caption, body };
}

export interface NewsroomTab {
  page: Page;
  /** Uncaught errors and Content-Security-Policy refusals seen so far. */
  problems: string[];
}

/** Opens /newsroom/ in a fresh tab, under its own CSP (no bypass), noting page errors and CSP refusals. */
export async function openNewsroom(browser: Browser, baseUrl: string, width = 1280, timezoneId?: string): Promise<NewsroomTab> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...(timezoneId ? { timezoneId } : {}) });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.setDefaultTimeout(20_000);
  const response = await page.goto(`${baseUrl}/newsroom/`);
  if (response?.status() !== 200) throw new Error(`/newsroom/ answered ${response?.status()}`);
  return { page, problems };
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Articles', level: 1 }).waitFor();
}

/** The preview frame's document. */
export const previewOf = (page: Page): FrameLocator => page.getByRole('region', { name: 'Preview' }).frameLocator('iframe');

/** The article's status line: "Status: published · version 3". */
export async function waitForStatus(page: Page, status: string, timeout = 30_000): Promise<void> {
  await page.locator('#article-status').filter({ hasText: `Status: ${status} ` }).waitFor({ timeout });
}

const axeResultSchema = z.array(
  z.object({ id: z.string(), impact: z.string().nullish(), help: z.string(), nodes: z.array(z.object({ target: z.array(z.unknown()) })) }),
);

/** axe-core run through the DevTools protocol (page.evaluate), which the page's CSP does not govern. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = axeResultSchema.parse(await page.evaluate('(async () => (await window.axe.run(document)).violations)()'));
  return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The view as a document the Nu checker can read: the live DOM, serialised. */
export async function snapshot(page: Page): Promise<string> {
  return `<!DOCTYPE html>\n${String(await page.evaluate('document.documentElement.outerHTML'))}`;
}
