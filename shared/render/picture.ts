import { RENDITION_CONTENT_TYPES, RENDITION_FORMATS, type Rendition } from '../media/media.js';
import { html, type Html } from './html.js';

/** What a `<picture>` needs of a photo: its renditions, upright size and placeholder colour. */
export interface PictureSource {
  width: number;
  height: number;
  placeholder: string;
  renditions: Rendition[];
  alt: string;
}

export interface PictureOptions {
  /** The `sizes` attribute: how wide the layout shows the photo, so the browser picks the smallest rendition that is sharp. */
  sizes: string;
  /** The lead photo is the page's largest paint: fetched first. Photos further down wait until they are near. */
  priority: 'high' | 'auto' | 'lazy';
}

/** Placeholder colours snap to a palette the stylesheet carries, so the CSP can stay hash-only (no style attributes). */
const PALETTE_LEVELS = [0x30, 0x80, 0xd0] as const;

function nearestLevel(channel: number): number {
  let best = 0;
  for (let i = 1; i < PALETTE_LEVELS.length; i++) if (Math.abs(PALETTE_LEVELS[i]! - channel) < Math.abs(PALETTE_LEVELS[best]! - channel)) best = i;
  return best;
}

/** `#8a7b6c` → `ph-111`: the palette class closest to a placeholder colour. */
export function placeholderClass(hex: string): string {
  const channels = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  return `ph-${channels.map(nearestLevel).join('')}`;
}

/** The palette's rules for the stylesheet: 27 classes, a few hundred bytes once compressed. */
export function placeholderPaletteCss(): string {
  const rules: string[] = [];
  PALETTE_LEVELS.forEach((r, ri) =>
    PALETTE_LEVELS.forEach((g, gi) =>
      PALETTE_LEVELS.forEach((b, bi) => rules.push(`.ph-${ri}${gi}${bi}{background:#${[r, g, b].map((c) => c.toString(16)).join('')}}`)),
    ),
  );
  return rules.join('');
}

const srcset = (renditions: Rendition[]) => renditions.map((r) => `/${r.key} ${r.width}w`).join(', ');

/** The rendition of a format closest to `width` (the largest one if none is that wide). */
export function renditionNear(renditions: Rendition[], format: Rendition['format'], width: number): Rendition | undefined {
  const ofFormat = renditions.filter((r) => r.format === format).sort((a, b) => a.width - b.width);
  return ofFormat.find((r) => r.width >= width) ?? ofFormat.at(-1);
}

/**
 * A responsive photo: AVIF and WebP sources, a JPEG `<img>` for every browser, all with the
 * same `sizes`; `width`/`height` reserve its space so nothing moves when it arrives.
 */
export function renderPicture(photo: PictureSource, options: PictureOptions): Html {
  const [avif, webp, jpeg] = RENDITION_FORMATS.map((format) => photo.renditions.filter((r) => r.format === format));
  const fallback = renditionNear(photo.renditions, 'jpeg', 960);
  const loading = options.priority === 'high' ? html` fetchpriority="high"` : options.priority === 'lazy' ? html` loading="lazy"` : '';
  return html`<picture>${[
    ['avif', avif],
    ['webp', webp],
  ].map(([format, renditions]) =>
    renditions && renditions.length ? html`<source type="${RENDITION_CONTENT_TYPES[format as 'avif' | 'webp']}" srcset="${srcset(renditions as Rendition[])}" sizes="${options.sizes}">` : '',
  )}<img src="${fallback ? `/${fallback.key}` : ''}" srcset="${srcset(jpeg ?? [])}" sizes="${options.sizes}" alt="${photo.alt}" width="${photo.width}" height="${photo.height}" class="${placeholderClass(photo.placeholder)}" decoding="async"${loading}></picture>`;
}
