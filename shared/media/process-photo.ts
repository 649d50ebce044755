import { randomBytes } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { LIMITS } from '../article/limits.js';
import {
  CROP_RATIOS,
  RENDITION_CONTENT_TYPES,
  RENDITION_EXTENSIONS,
  RENDITION_FORMATS,
  RENDITIONS_PREFIX,
  type Crop,
  type CropRatio,
  type ProcessedPhoto,
  type Rendition,
  type RenditionFormat,
} from './media.js';
import { refuse, sniffPhotoType } from './photo-type.js';

/** Widths of the rendition ladder (never upscaled); 1200 is also the JPEG that link previews show. */
export const RENDITION_WIDTHS = [320, 640, 960, 1200, 1600, 2560] as const;
/** Crops for structured data are this wide (or the photo's width, if narrower). */
const CROP_WIDTH = 1200;

/**
 * Quality chosen per format for news photos: AVIF and WebP at the quality where they match the JPEG
 * visually, at low encoder effort because a reporter waits for it (measured in `npm run bench`).
 */
const ENCODERS: Readonly<Record<RenditionFormat, (image: Sharp) => Sharp>> = {
  avif: (image) => image.avif({ quality: 50, effort: 2 }),
  webp: (image) => image.webp({ quality: 75, effort: 2 }),
  jpeg: (image) => image.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true }),
};

/** The file written for one rendition or crop, before it is stored. */
export interface PhotoFile {
  key: string;
  bytes: Buffer;
  contentType: string;
}

export interface ProcessedPhotoFiles {
  photo: ProcessedPhoto;
  files: PhotoFile[];
}

/** The widths to make for a photo `width` pixels wide: the ladder up to it, and its own width when it falls between steps. */
export function renditionWidths(width: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w < width);
  const top = Math.min(width, RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]!);
  if (!widths.includes(top)) widths.push(top);
  return widths;
}

function hex(value: number): string {
  return Math.max(0, Math.min(255, Math.round(value))).toString(16).padStart(2, '0');
}

/**
 * Turns an upload into the renditions readers get: refuses anything that is not a photo or is too
 * large to decode safely (checked from the header, before decoding), turns it upright (EXIF
 * orientation), converts it to sRGB and re-encodes it as AVIF, WebP and JPEG at each width of the
 * ladder. Re-encoding is what removes every byte of EXIF, XMP, IPTC, GPS and anything appended to
 * the file. Keys carry a fresh token, so two attempts at the same upload never share an object.
 */
export async function processPhoto(bytes: Uint8Array, mediaId: string): Promise<ProcessedPhotoFiles> {
  if (bytes.length > LIMITS.uploadBytes) refuse('max_bytes', `must be at most ${LIMITS.uploadBytes} bytes; received ${bytes.length} bytes`);
  const type = await sniffPhotoType(bytes);
  const options = { limitInputPixels: LIMITS.imagePixels, failOn: 'truncated', sequentialRead: true } as const;

  let header: Metadata;
  try {
    header = await sharp(bytes, options).metadata();
  } catch {
    return refuse('image_corrupt', 'could not be read as a photo: its header is damaged or truncated; export it again as JPEG');
  }
  const expected = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'heif' }[type];
  if (header.format !== expected) refuse('image_type', `looks like ${type} but does not decode as one; export it again as JPEG`);
  const { width = 0, height = 0 } = header;
  if (!width || !height) refuse('image_corrupt', 'has no readable dimensions; export it again as JPEG');
  if (width * height > LIMITS.imagePixels || width > LIMITS.imageSide || height > LIMITS.imageSide) {
    refuse('image_dimensions', `must be at most ${LIMITS.imagePixels / 1e6} megapixels and ${LIMITS.imageSide} px a side; received ${width}×${height}: resize it and upload again`);
  }

  // Decode once, upright and in sRGB, at the largest width needed; every rendition comes from these pixels.
  const upright = (header.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
  const widths = renditionWidths(upright.width);
  const largest = widths[widths.length - 1]!;
  let pixels: { data: Buffer; info: OutputInfo };
  try {
    pixels = await sharp(bytes, options)
      .autoOrient()
      .toColourspace('srgb')
      .resize({ width: largest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    return refuse('image_corrupt', 'could not be decoded: the file is damaged or truncated; export it again as JPEG');
  }
  const raw = { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } } as const;
  const fromPixels = () => sharp(pixels.data, raw);

  const token = randomBytes(6).toString('base64url');
  const files: PhotoFile[] = [];
  const renditions: Rendition[] = [];
  for (const w of widths) {
    // The three formats of one width encode at once: sharp runs one thread per pipeline where glibc
    // lacks jemalloc (Lambda too), so this is what keeps a second vCPU busy.
    const encoded = await Promise.all(
      RENDITION_FORMATS.map(async (format) => ({ format, ...(await ENCODERS[format](fromPixels().resize({ width: w, withoutEnlargement: true })).toBuffer({ resolveWithObject: true })) })),
    );
    for (const { format, data, info } of encoded) {
      const key = `${RENDITIONS_PREFIX}${mediaId}/${token}-${w}.${RENDITION_EXTENSIONS[format]}`;
      files.push({ key, bytes: data, contentType: RENDITION_CONTENT_TYPES[format] });
      renditions.push({ key, format, width: info.width, height: info.height, bytes: data.length });
    }
  }

  const crops: Crop[] = [];
  const cropWidth = Math.min(CROP_WIDTH, pixels.info.width);
  for (const ratio of CROP_RATIOS) {
    const [rw, rh] = ratio.split('x').map(Number) as [number, number];
    const cropHeight = Math.round((cropWidth * rh) / rw);
    const { data, info } = await ENCODERS.jpeg(fromPixels().resize({ width: cropWidth, height: cropHeight, fit: 'cover', position: sharp.strategy.attention })).toBuffer({
      resolveWithObject: true,
    });
    const key = `${RENDITIONS_PREFIX}${mediaId}/${token}-${ratio}.jpg`;
    files.push({ key, bytes: data, contentType: RENDITION_CONTENT_TYPES.jpeg });
    crops.push({ key, ratio: ratio satisfies CropRatio, width: info.width, height: info.height });
  }

  const { dominant } = await fromPixels().stats();
  const placeholder = `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`;
  return { photo: { width: upright.width, height: upright.height, placeholder, renditions, crops }, files };
}
