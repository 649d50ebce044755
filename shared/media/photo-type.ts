import { fileTypeFromBuffer } from 'file-type';
import { UPLOAD_CONTENT_TYPES, type UploadContentType } from './media.js';

// Kept apart from process-photo.ts (which loads sharp, a native module): the API checks a photo's
// type before it writes anything, and its bundle must not carry sharp.

/** Why a photo was refused: a rule name and a sentence that says what to do instead. */
export interface PhotoRefusal {
  rule: 'image_type' | 'image_dimensions' | 'image_corrupt' | 'max_bytes';
  reason: string;
}

export class PhotoRefusedError extends Error {
  constructor(readonly refusal: PhotoRefusal) {
    super(refusal.reason);
  }
}

export const refuse = (rule: PhotoRefusal['rule'], reason: string): never => {
  throw new PhotoRefusedError({ rule, reason });
};

const isUploadType = (mime: string): mime is UploadContentType => (UPLOAD_CONTENT_TYPES as readonly string[]).includes(mime);

/**
 * Decides what a file is from its bytes, never its name or declared type: only JPEG, PNG, WebP and
 * AVIF pass, so no SVG, HTML or script can ever be served from the site's origin.
 */
export async function sniffPhotoType(bytes: Uint8Array): Promise<UploadContentType> {
  const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
  if (sniffed && isUploadType(sniffed)) return sniffed;
  if (sniffed === 'image/heic' || sniffed === 'image/heif') {
    return refuse('image_type', 'is a HEIC photo, which browsers cannot show: export it as JPEG (on an iPhone, Settings › Camera › Formats › Most Compatible) and upload that');
  }
  return refuse('image_type', `must be a JPEG, PNG, WebP or AVIF photo; its bytes are ${sniffed ?? 'not a known image format (is it an SVG, HTML or a damaged file?)'}: export it as JPEG and upload that`);
}

