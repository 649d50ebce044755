import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importWireCopy } from '../../shared/article/wire-import.js';
import { WIRE_TEXT, wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime, type UploadedPhoto } from '../support/local-runtime.js';
import { launchChromium } from './support/tools.js';

/** A 24-megapixel camera frame, as a reporter's camera delivers it. */
const PHOTO_WIDTH = 6000;
const PHOTO_HEIGHT = 4000;
/** A rendition may be up to this much wider than the device pixels it fills, and no wider. */
const MAX_OVERSIZE = 1.5;

/**
 * A photo-like JPEG generated here rather than committed: smooth gradients and shading with grain
 * on top, so the encoders see texture, not a flat colour they compress to nothing.
 */
function cameraFrame(width: number, height: number): Promise<Buffer> {
  const pixels = new Uint8ClampedArray(width * height * 3);
  let seed = 24;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = ((seed >> 16) % 33) - 16;
      const at = (y * width + x) * 3;
      pixels[at] = (x * 255) / width + grain;
      pixels[at + 1] = (y * 255) / height + grain;
      pixels[at + 2] = 128 + 60 * Math.sin(x / 300) * Math.cos(y / 200) + grain;
    }
  }
  return sharp(Buffer.from(pixels.buffer), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/**
 * Collects layout shifts from before the first byte of the page: registered through the DevTools
 * protocol, which the page's script-free Content-Security-Policy does not govern.
 */
const LAYOUT_SHIFT_OBSERVER = `
  window.__layoutShifts = { supported: PerformanceObserver.supportedEntryTypes.includes('layout-shift'), entries: [] };
  window.__layoutShifts.observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__layoutShifts.entries.push(entry.value);
  });
  window.__layoutShifts.observer.observe({ type: 'layout-shift', buffered: true });
`;

/**
 * Cumulative layout shift so far: the entries delivered plus those still queued for the observer.
 * Every shift counts, even those flagged `hadRecentInput`: no one touches these pages, yet
 * Chromium's mobile emulation flags shifts that way.
 */
const CUMULATIVE_LAYOUT_SHIFT = `(() => {
  const shifts = window.__layoutShifts;
  for (const entry of shifts.observer.takeRecords()) shifts.entries.push(entry.value);
  return { supported: shifts.supported, cls: shifts.entries.reduce((sum, value) => sum + value, 0) };
})()`;

const layoutShiftSchema = z.object({ supported: z.boolean(), cls: z.number() });
const shownPhotoSchema = z.object({ currentSrc: z.string(), cssWidth: z.number(), decoded: z.boolean() });

/** Waits for two frames, so whatever the browser had to lay out and paint has been. */
const TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

let runtime: TestRuntime;
let browser: Browser;
let photo: UploadedPhoto;
let article: Published;

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
  photo = await runtime.uploadPhoto(await cameraFrame(PHOTO_WIDTH, PHOTO_HEIGHT));
  const caption = importWireCopy(WIRE_TEXT).caption;
  article = await runtime.publishOk({
    ...wireSubmission({ withPhoto: false }),
    leadImage: { mediaId: photo.id, alt: 'A man stands by the rubble of a destroyed building', caption: caption?.text, credit: caption?.credit },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

interface PhotoVisit {
  /** Every request for a copy of the uploaded photo, in the order the page made them. */
  photoRequests: string[];
  shown: z.infer<typeof shownPhotoSchema>;
  layoutShift: z.infer<typeof layoutShiftSchema>;
}

/** Opens the article in a new browser profile (nothing cached) and notes what the page did with its photo. */
async function visitArticle(device: { width: number; height: number; deviceScaleFactor: number; isMobile: boolean }, prepare?: (page: Page) => Promise<void>): Promise<PhotoVisit> {
  const { width, height, ...screen } = device;
  const context: BrowserContext = await browser.newContext({ viewport: { width, height }, ...screen });
  try {
    const page = await context.newPage();
    const photoRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith(`/media/${photo.id}/`)) photoRequests.push(request.url());
    });
    await page.addInitScript(LAYOUT_SHIFT_OBSERVER);
    await prepare?.(page);
    const response = await page.goto(article.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    // Nothing more arrives later (no lazy copy, no second choice of rendition) once the network is quiet.
    await page.waitForLoadState('networkidle');
    await page.evaluate(TWO_FRAMES);
    const shown = shownPhotoSchema.parse(
      await page.evaluate(`(() => {
        const img = document.querySelector('article figure picture img');
        return { currentSrc: img.currentSrc, cssWidth: img.getBoundingClientRect().width, decoded: img.complete && img.naturalWidth > 0 };
      })()`),
    );
    const layoutShift = layoutShiftSchema.parse(await page.evaluate(CUMULATIVE_LAYOUT_SHIFT));
    return { photoRequests, shown, layoutShift };
  } finally {
    await context.close();
  }
}

/** The rendition a URL names, as `GET /api/media/{id}` lists it. */
function renditionAt(url: string): { format: string; width: number } | undefined {
  const path = new URL(url).pathname;
  return photo.renditions?.find((r) => new URL(r.url, runtime.baseUrl).pathname === path);
}

describe('a 24-megapixel lead photo in headless Chromium', () => {
  it('was processed into AVIF, WebP and JPEG renditions, none wider than 2560 pixels', () => {
    expect(photo).toMatchObject({ status: 'ready', width: PHOTO_WIDTH, height: PHOTO_HEIGHT });
    expect(new Set(photo.renditions?.map((r) => r.format))).toEqual(new Set(['avif', 'webp', 'jpeg']));
    expect(Math.max(...(photo.renditions ?? []).map((r) => r.width))).toBe(2560);
  });

  it.each([
    ['a 390 px phone at 3 device pixels per CSS pixel', { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true }],
    ['a 1280 px desktop at 1 device pixel per CSS pixel', { width: 1280, height: 900, deviceScaleFactor: 1, isMobile: false }],
  ] as const)('on %s, loads one AVIF rendition at most 1.5 times the device pixels it fills, and nothing moves', async (_screen, device) => {
    const { photoRequests, shown, layoutShift } = await visitArticle(device);

    expect(photoRequests).toHaveLength(1);
    const [requested] = photoRequests;
    const rendition = renditionAt(requested!);
    expect(rendition, `${requested} is not one of the photo's renditions`).toBeDefined();
    expect(rendition!.format).toBe('avif');
    expect(shown.currentSrc).toBe(requested);
    expect(shown.decoded).toBe(true);
    const devicePixels = shown.cssWidth * device.deviceScaleFactor;
    expect(shown.cssWidth).toBeGreaterThan(0);
    expect(rendition!.width).toBeLessThanOrEqual(MAX_OVERSIZE * devicePixels);

    expect(layoutShift.supported).toBe(true);
    expect(layoutShift.cls).toBe(0);
  });

  it('measures a layout shift when the page does not reserve the photo’s space (the measurement can fail)', async () => {
    // The same page with the photo's width and height attributes removed, and the photo held back until the page has painted without it.
    let servedWithoutSize = false;
    const { layoutShift } = await visitArticle({ width: 390, height: 844, deviceScaleFactor: 3, isMobile: true }, async (page) => {
      await page.route(article.url, async (route) => {
        const original = await route.fetch();
        const html = await original.text();
        const body = html.replace(/(<img [^>]*?) width="\d+" height="\d+"/, '$1');
        servedWithoutSize = body !== html && !/<img [^>]*height=/.test(body);
        await route.fulfill({ response: original, body });
      });
      await page.route(`**/media/${photo.id}/**`, async (route) => {
        await page.waitForFunction("document.readyState !== 'loading'");
        await page.evaluate(TWO_FRAMES);
        await route.continue();
      });
    });

    expect(servedWithoutSize).toBe(true);
    expect(layoutShift.supported).toBe(true);
    expect(layoutShift.cls).toBeGreaterThan(0);
  });
});
