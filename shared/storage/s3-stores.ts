import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MediaStore, SiteStore } from './ports.js';

/** Photos never change under a key (a new photo gets a new key), so browsers and the CDN keep them a year. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Article pages can be corrected: browsers revalidate after a minute; CloudFront is invalidated on change. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60';

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
