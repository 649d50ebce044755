import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { LIMITS } from '../article/limits.js';
import { ValidationError } from '../errors.js';
import { stripJpegMetadata, stripPngMetadata, stripWebpMetadata } from './strip-metadata.js';

export const PHOTO_TYPES = {
  'image/jpeg': { extension: 'jpg', strip: stripJpegMetadata },
  'image/png': { extension: 'png', strip: stripPngMetadata },
  'image/webp': { extension: 'webp', strip: stripWebpMetadata },
} as const;
export type PhotoType = keyof typeof PHOTO_TYPES;

/** A photo that passed every check, with its metadata removed, ready to store. */
export interface CheckedPhoto {
  bytes: Uint8Array;
  contentType: PhotoType;
  extension: string;
  width: number;
  height: number;
}

function isPhotoType(mime: string): mime is PhotoType {
  return Object.hasOwn(PHOTO_TYPES, mime);
}

/**
 * Decides what a file is from its bytes (never its name or declared type), refuses anything but
 * JPEG, PNG and WebP (so no SVG or HTML can be served from our origin), refuses pixel bombs before
 * anything decodes them, and strips EXIF/XMP/IPTC.
 */
export async function checkPhoto(bytes: Uint8Array, field: string): Promise<CheckedPhoto> {
  // A declaration with its `never` written out, so TypeScript narrows after each call.
  function fail(rule: string, message: string): never {
    throw new ValidationError([{ path: field, rule, message: `${field} ${message}` }]);
  }
  if (bytes.length > LIMITS.imageBytes) fail('max_bytes', `must be at most ${LIMITS.imageBytes} bytes; received ${bytes.length} bytes`);
  const contentType = (await fileTypeFromBuffer(bytes))?.mime;
  if (contentType === undefined || !isPhotoType(contentType)) {
    fail('image_type', `must be a JPEG, PNG or WebP photo; its bytes are ${contentType ?? 'not a known image format'}`);
  }
  let width = 0;
  let height = 0;
  try {
    ({ width, height } = imageSize(bytes));
  } catch {
    fail('image_corrupt', 'could not be read as an image: its header is damaged or truncated');
  }
  if (!width || !height) fail('image_corrupt', 'has no readable dimensions');
  if (width > LIMITS.imageSide || height > LIMITS.imageSide || width * height > LIMITS.imagePixels) {
    fail('image_dimensions', `must be at most ${LIMITS.imageSide} px a side and ${LIMITS.imagePixels / 1e6} megapixels; received ${width}×${height}`);
  }
  let stripped: Uint8Array = bytes;
  try {
    stripped = PHOTO_TYPES[contentType].strip(bytes);
  } catch {
    fail('image_corrupt', 'has a damaged file structure');
  }
  return { bytes: stripped, contentType, extension: PHOTO_TYPES[contentType].extension, width, height };
}
