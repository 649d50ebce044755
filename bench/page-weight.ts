import type { Browser } from 'playwright-core';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { TestRuntime } from '../test/support/local-runtime.js';
import { launchChromium } from '../test/e2e/support/tools.js';
import type { BenchFixture } from './fixture.js';
import type { UploadedPhotoView } from './photo-processing.js';

export interface BrowserResponse {
  url: string;
  resourceType: string;
  status: number;
  /** Body bytes as they crossed the wire (compressed when the server compressed them). */
  bodyBytes: number;
}

export interface BrowserView {
  device: { width: number; height: number; deviceScaleFactor: number; isMobile: boolean };
  /** The document plus every image response body, as transferred: what this reader downloads. */
  totalBytes: number;
  documentBytes: number;
  imageBytes: number;
  /** The document and every image requested. */
  requests: number;
  /** The rendition the browser chose for the lead photo, and how wide the layout shows it. */
  picked: { url: string; format: string; width: number } | null;
  shownCssWidth: number;
  /** The device pixels the photo fills: CSS width × device pixel ratio. */
  shownDevicePixels: number;
  responses: BrowserResponse[];
}

export interface PageWeightResult {
  url: string;
  htmlBytes: number;
  /** gzip level 9, as the reader-pages test measures it against the first round trip. */
  gzipBytes: number;
  /** brotli quality 11 (Node's default), the best a CDN would send. */
  brotliBytes: number;
  /** Script and stylesheet files the page refers to (the CSS is inline, the page has no script). */
  scriptsAndStylesheets: string[];
  /** The text the reader came for (headline, caption, body), uncompressed: the floor. */
  textBytes: number;
  /** The TCP initial congestion window (10 segments of 1,460 bytes): what arrives in the first round trip. */
  firstRoundTripBytes: number;
  /** The lead photo: the uploaded 24-megapixel camera photo. */
  photo: { mediaId: string; width: number; height: number; renditions: number };
  /** The same page in headless Chromium, a new profile (nothing cached) per device. */
  browser: { phone: BrowserView; desktop: BrowserView };
}

const FIRST_ROUND_TRIP_BYTES = 14_600;

export const DEVICES = {
  phone: { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true },
  desktop: { width: 1280, height: 900, deviceScaleFactor: 1, isMobile: false },
} as const;

/** Script and stylesheet files a page refers to: none is the design (inline CSS, no script). */
export function scriptsAndStylesheetsOf(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*?\ssrc="([^"]+)"/g)) found.add(match[1]!);
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    const rel = /\srel="([^"]+)"/.exec(tag)?.[1] ?? '';
    const href = /\shref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\b(stylesheet|preload|modulepreload)\b/.test(rel)) found.add(href);
  }
  return [...found].filter((url) => !url.startsWith('data:'));
}

/** Opens the page in a new browser profile at one device size and weighs what it downloads. */
async function visit(browser: Browser, url: string, device: BrowserView['device'], photo: UploadedPhotoView, baseUrl: string): Promise<BrowserView> {
  const { width, height, ...screen } = device;
  const context = await browser.newContext({ viewport: { width, height }, ...screen });
  try {
    const page = await context.newPage();
    const pending: Promise<BrowserResponse | undefined>[] = [];
    page.on('requestfinished', (request) => {
      pending.push(
        (async () => {
          const resourceType = request.resourceType();
          if (resourceType !== 'document' && resourceType !== 'image') return undefined;
          const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
          return { url: request.url(), resourceType, status: response?.status() ?? 0, bodyBytes: sizes.responseBodySize };
        })(),
      );
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error(`the fixture page answered ${response?.status()} in Chromium`);
    await page.waitForLoadState('networkidle');
    const shown = (await page.evaluate(`(() => {
      const img = document.querySelector('article figure picture img');
      return img ? { currentSrc: img.currentSrc, cssWidth: img.getBoundingClientRect().width } : null;
    })()`)) as { currentSrc: string; cssWidth: number } | null;
    const responses = (await Promise.all(pending)).filter((r): r is BrowserResponse => r !== undefined);
    const documentBytes = responses.filter((r) => r.resourceType === 'document').reduce((sum, r) => sum + r.bodyBytes, 0);
    const imageBytes = responses.filter((r) => r.resourceType === 'image').reduce((sum, r) => sum + r.bodyBytes, 0);
    const pickedPath = shown?.currentSrc ? new URL(shown.currentSrc).pathname : undefined;
    const rendition = photo.renditions.find((r) => new URL(r.url, baseUrl).pathname === pickedPath);
    return {
      device,
      totalBytes: documentBytes + imageBytes,
      documentBytes,
      imageBytes,
      requests: responses.length,
      picked: rendition && shown ? { url: pickedPath!, format: rendition.format, width: rendition.width } : null,
      shownCssWidth: shown?.cssWidth ?? 0,
      shownDevicePixels: (shown?.cssWidth ?? 0) * device.deviceScaleFactor,
      responses,
    };
  } finally {
    await context.close();
  }
}

/**
 * Publishes the wire article with the uploaded 24-megapixel photo through the runtime, weighs the
 * HTML it serves, then opens it in headless Chromium as a phone (390 px, 3 device pixels per CSS
 * pixel) and a desktop (1280 px, 1): the document and every image body transferred, and the
 * rendition chosen.
 */
export async function benchPageWeight(runtime: TestRuntime, fixture: BenchFixture, photo: UploadedPhotoView): Promise<PageWeightResult> {
  const response = await runtime.publish(fixture.submission({ mediaId: photo.id }));
  if (response.status !== 201) throw new Error(`publishing the fixture for page weight failed: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const page = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (page.status !== 200) throw new Error(`the fixture page answered ${page.status}`);
  const html = Buffer.from(await page.arrayBuffer());

  const browser = await launchChromium();
  let views: PageWeightResult['browser'];
  try {
    views = {
      phone: await visit(browser, url, DEVICES.phone, photo, runtime.baseUrl),
      desktop: await visit(browser, url, DEVICES.desktop, photo, runtime.baseUrl),
    };
  } finally {
    await browser.close();
  }
  return {
    url,
    htmlBytes: html.length,
    gzipBytes: gzipSync(html, { level: 9 }).length,
    brotliBytes: brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    scriptsAndStylesheets: scriptsAndStylesheetsOf(html.toString('utf8')),
    textBytes: fixture.textBytes,
    firstRoundTripBytes: FIRST_ROUND_TRIP_BYTES,
    photo: { mediaId: photo.id, width: photo.width, height: photo.height, renditions: photo.renditions.length },
    browser: views,
  };
}
