import type { S3Event } from 'aws-lambda';

/** S3 `ObjectCreated` under `uploads/` in the media bucket: process each uploaded photo. (Stub: being written.) */
export async function handler(_event: S3Event): Promise<void> {}
