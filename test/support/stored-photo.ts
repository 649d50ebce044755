import type { StoredPhoto } from '../../shared/article/article.js';
import { RENDITION_EXTENSIONS, RENDITION_FORMATS } from '../../shared/media/media.js';
import { renditionWidths } from '../../shared/media/process-photo.js';

/** A processed 1200×800 lead photo as processing would store it: the full ladder and the three crops. */
export function storedPhoto(mediaId = '0b6f3c1e-0000-4000-8000-000000000001', overrides: Partial<StoredPhoto> = {}): StoredPhoto {
  const width = overrides.width ?? 1200;
  const height = overrides.height ?? 800;
  return {
    mediaId,
    width,
    height,
    placeholder: '#786e64',
    renditions: renditionWidths(width).flatMap((w) =>
      RENDITION_FORMATS.map((format) => ({ key: `media/${mediaId}/t0k3n-${w}.${RENDITION_EXTENSIONS[format]}`, format, width: w, height: Math.round((w * height) / width), bytes: w * 10 })),
    ),
    crops: [
      { key: `media/${mediaId}/t0k3n-16x9.jpg`, ratio: '16x9', width: 1200, height: 675 },
      { key: `media/${mediaId}/t0k3n-4x3.jpg`, ratio: '4x3', width: 1200, height: 900 },
      { key: `media/${mediaId}/t0k3n-1x1.jpg`, ratio: '1x1', width: 1200, height: 1200 },
    ],
    alt: 'A man stands by the rubble',
    caption: 'Khan Yunis on April 7, 2024.',
    credit: 'AFP',
    ...overrides,
  };
}
