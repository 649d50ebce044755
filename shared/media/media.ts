import * as z from 'zod/mini';

/** The formats every photo is re-encoded to: AVIF and WebP for browsers that take them, JPEG for all. */
export const RENDITION_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

export const RENDITION_CONTENT_TYPES: Readonly<Record<RenditionFormat, string>> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
export const RENDITION_EXTENSIONS: Readonly<Record<RenditionFormat, string>> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

/** Photo types a reporter may upload, decided from the bytes; everything else is refused. */
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** Crops Google asks for in a news article's structured data. */
export const CROP_RATIOS = ['16x9', '4x3', '1x1'] as const;
export type CropRatio = (typeof CROP_RATIOS)[number];

const dimensions = { width: z.int().check(z.positive()), height: z.int().check(z.positive()) };

export const renditionSchema = z.object({ key: z.string(), format: z.enum(RENDITION_FORMATS), ...dimensions, bytes: z.int().check(z.nonnegative()) });
export type Rendition = z.infer<typeof renditionSchema>;

export const cropSchema = z.object({ key: z.string(), ratio: z.enum(CROP_RATIOS), ...dimensions });
export type Crop = z.infer<typeof cropSchema>;

/** What processing made of an upload: upright dimensions, a placeholder colour and the renditions. */
export const processedPhotoSchema = z.object({
  ...dimensions,
  /** Dominant colour, `#rrggbb`: shown while the photo loads. */
  placeholder: z.string().check(z.regex(/^#[0-9a-f]{6}$/)),
  renditions: z.array(renditionSchema),
  crops: z.array(cropSchema),
});
export type ProcessedPhoto = z.infer<typeof processedPhotoSchema>;

export const MEDIA_STATUSES = ['pending', 'ready', 'rejected'] as const;

/** An uploaded photo's record: who uploaded it, what became of it, which article uses it. */
export const mediaRecordSchema = z.object({
  id: z.string(),
  status: z.enum(MEDIA_STATUSES),
  /** The key it was uploaded with (logs); who owns it is `ownerPersonId`, or for uploads stored before people existed the key's id (see recordedPersonId). */
  ownerKeyId: z.string(),
  ownerPersonId: z.optional(z.string()),
  declaredType: z.string(),
  declaredBytes: z.int().check(z.nonnegative()),
  filename: z.string(),
  createdAt: z.string(),
  reason: z.optional(z.string()),
  photo: z.optional(processedPhotoSchema),
  /** The article whose photo this is; a photo belongs to one article, so deleting it with the article is safe. */
  articleId: z.optional(z.string()),
});
export type MediaRecord = z.infer<typeof mediaRecordSchema>;

/** Where uploads' originals land: a private prefix CloudFront never serves. Its new objects start processing. */
export const UPLOADS_PREFIX = 'uploads/';
export const uploadKey = (mediaId: string) => `${UPLOADS_PREFIX}${mediaId}`;
/** Renditions: the only photo keys CloudFront serves (`/media/*`). */
export const RENDITIONS_PREFIX = 'media/';
/** The media id of an `uploads/<id>` key (S3 event keys are URL-encoded); undefined for any other key. */
export function mediaIdOfUploadKey(key: string): string | undefined {
  const match = /^uploads\/([0-9a-f-]{36})$/.exec(decodeURIComponent(key.replace(/\+/g, ' ')));
  return match?.[1];
}

/** Every object a processed photo wrote under `media/`. */
export const objectKeysOf = (photo: ProcessedPhoto): string[] => [...photo.renditions.map((r) => r.key), ...photo.crops.map((c) => c.key)];

/**
 * An upload link lasts 15 minutes and processing, with Lambda's retries, well under 45 more: a
 * record still pending an hour after it was made will never become a photo.
 */
const ABANDONED_AFTER_MS = 60 * 60_000;
export const ABANDONED_UPLOAD_REASON = 'No photo arrived in time: the upload link expires 15 minutes after POST /api/media. Request a new one and upload again.';

export function isAbandoned(record: Pick<MediaRecord, 'status' | 'createdAt'>, now: Date): boolean {
  return record.status === 'pending' && now.getTime() - Date.parse(record.createdAt) > ABANDONED_AFTER_MS;
}
