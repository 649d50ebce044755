import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { TestRuntime } from '../test/support/local-runtime.js';
import type { BenchFixture } from './fixture.js';

export interface PageWeightResult {
  url: string;
  htmlBytes: number;
  /** gzip level 9, as the reader-pages test measures it against the first round trip. */
  gzipBytes: number;
  /** brotli quality 11 (Node's default), the best a CDN would send. */
  brotliBytes: number;
  /** The HTML plus every subresource a browser fetches to show the page (the CSS is inline). */
  requests: number;
  subresources: string[];
  imageBytes: number;
  /** The text the reader came for (headline, caption, body), uncompressed: the floor. */
  textBytes: number;
  /** The TCP initial congestion window (10 segments of 1,460 bytes): what arrives in the first round trip. */
  firstRoundTripBytes: number;
}

const FIRST_ROUND_TRIP_BYTES = 14_600;

/** Everything a browser would request after the HTML: images (one candidate per `srcset`), stylesheets, scripts, icons, preloads. */
export function subresourcesOf(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<img\b[^>]*?\ssrc="([^"]+)"/g)) found.add(match[1]!);
  for (const match of html.matchAll(/<script\b[^>]*?\ssrc="([^"]+)"/g)) found.add(match[1]!);
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    const rel = /\srel="([^"]+)"/.exec(tag)?.[1] ?? '';
    const href = /\shref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\b(stylesheet|icon|preload|modulepreload|manifest)\b/.test(rel)) found.add(href);
  }
  return [...found].filter((url) => !url.startsWith('data:'));
}

/** Publishes the wire article with its photo through the runtime and weighs the page it serves. */
export async function benchPageWeight(runtime: TestRuntime, fixture: BenchFixture): Promise<PageWeightResult> {
  const response = await runtime.publish(fixture.submission({ withPhoto: true }));
  if (response.status !== 201) throw new Error(`publishing the fixture for page weight failed: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`the fixture page answered ${page.status}`);
  const html = Buffer.from(await page.arrayBuffer());
  const subresources = subresourcesOf(html.toString('utf8'));
  let imageBytes = 0;
  for (const src of subresources) {
    const sub = await fetch(new URL(src, url));
    const bytes = (await sub.arrayBuffer()).byteLength;
    if (/\.(jpe?g|png|webp|avif|gif)(\?|$)/i.test(src)) imageBytes += bytes;
  }
  return {
    url,
    htmlBytes: html.length,
    gzipBytes: gzipSync(html, { level: 9 }).length,
    brotliBytes: brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    requests: 1 + subresources.length,
    subresources,
    imageBytes,
    textBytes: fixture.textBytes,
    firstRoundTripBytes: FIRST_ROUND_TRIP_BYTES,
  };
}
