import { DeleteObjectCommand, GetObjectCommand, ListObjectVersionsCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { LIMITS } from '../article/limits.js';
import { RENDITIONS_PREFIX, uploadKey } from '../media/media.js';
import type { MediaStore, PresignedUpload, SiteStore, VersionPurge } from './ports.js';

/** Photos never change under a key (a new photo gets a new key), so browsers and the CDN keep them a year. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Article pages can be corrected: browsers revalidate after a minute; CloudFront is invalidated on change. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60';
/** A presigned upload is valid this long: enough for a 40 MB photo on a slow connection, not for sharing. */
export const UPLOAD_EXPIRY_SECONDS = 15 * 60;

/** `/world/2024/04/07/slug/` → `world/2024/04/07/slug/index.html`. */
export function pageKey(path: string): string {
  return path.replace(/^\/+/, '') + (path.endsWith('/') ? 'index.html' : '');
}

export class S3MediaStore implements MediaStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putPhoto(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, CacheControl: MEDIA_CACHE_CONTROL }),
    );
  }

  async deletePhoto(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async putUpload(mediaId: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: uploadKey(mediaId), Body: bytes, ContentType: contentType }));
  }

  async readUpload(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: uploadKey(mediaId) }));
      const size = object.ContentLength ?? 0;
      if (size > maxBytes) {
        // Not read: a processing function must not hold more than the limit in memory.
        object.Body?.transformToWebStream().cancel().catch(() => {});
        return { tooLarge: size };
      }
      return { bytes: await object.Body!.transformToByteArray() };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async deleteUpload(mediaId: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: uploadKey(mediaId) }));
  }

  async purgePhotoVersions(mediaId: string): Promise<VersionPurge> {
    // The trailing slash keeps `media/<id>/` from matching a longer id; the original is one exact key.
    const renditions = await purgeVersions(this.client, this.bucket, `${RENDITIONS_PREFIX}${mediaId}/`, (key) => key.startsWith(`${RENDITIONS_PREFIX}${mediaId}/`));
    if (!renditions.versionsKept) return renditions;
    const original = await purgeVersions(this.client, this.bucket, uploadKey(mediaId), (key) => key === uploadKey(mediaId));
    return { deleted: renditions.deleted + original.deleted, versionsKept: true };
  }

  async presignUpload(mediaId: string, contentType: string): Promise<PresignedUpload> {
    const expiresAt = new Date(Date.now() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString();
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: uploadKey(mediaId),
      Conditions: [
        ['content-length-range', 1, LIMITS.uploadBytes],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: UPLOAD_EXPIRY_SECONDS,
    });
    return { url, fields, expiresAt };
  }
}

export class S3SiteStore implements SiteStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putPage(path: string, html: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: pageKey(path),
        Body: html,
        ContentType: 'text/html; charset=utf-8',
        CacheControl: PAGE_CACHE_CONTROL,
      }),
    );
  }

  async deletePage(path: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: pageKey(path) }));
  }
}

/** How many versions are deleted at once: a photo has a few dozen objects, each with a version or two. */
const PURGE_CONCURRENCY = 8;

/**
 * Lists every version and delete marker under `prefix` (page by page) and deletes each by its
 * version id (DeleteObject with a VersionId: IAM's s3:DeleteObjectVersion), which removes it for
 * good. S3 endpoints that keep no versions (s3rver) refuse the
 * listing as not implemented: there, deleting the object already left nothing behind. AWS answers
 * the listing for every bucket, versioned or not, so this never hides a refusal there.
 */
async function purgeVersions(client: S3Client, bucket: string, prefix: string, belongs: (key: string) => boolean): Promise<VersionPurge> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker, VersionIdMarker: versionIdMarker } : {}) }));
    } catch (error) {
      if (['MethodNotAllowed', 'NotImplemented'].includes((error as { name?: string }).name ?? '')) return { deleted, versionsKept: false };
      throw error;
    }
    const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((v) => v.Key !== undefined && v.VersionId !== undefined && belongs(v.Key));
    for (let at = 0; at < versions.length; at += PURGE_CONCURRENCY) {
      await Promise.all(
        versions.slice(at, at + PURGE_CONCURRENCY).map((v) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId! }))),
      );
    }
    deleted += versions.length;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return { deleted, versionsKept: true };
}
