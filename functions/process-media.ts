import type { S3Event } from 'aws-lambda';
import { HANDLER_SETTINGS, readConfig } from '../shared/config.js';
import { createLogger } from '../shared/log.js';
import { processUploadEvent } from '../shared/media/process-upload.js';
import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';
import { DynamoDbMediaStore } from '../shared/storage/dynamodb-media-store.js';
import { S3MediaStore } from '../shared/storage/s3-stores.js';

// Created once per Lambda instance, reused by every invocation.
const config = readConfig(HANDLER_SETTINGS.processMedia);
const deps = {
  media: new S3MediaStore(createS3Client(), config.mediaBucket),
  mediaRecords: new DynamoDbMediaStore(createDynamoDbClient(), config.tableName),
  logger: createLogger({ function: 'processMedia' }),
};

/**
 * S3 `ObjectCreated` under `uploads/` of the media bucket (on AWS a bucket notification, locally the
 * emulator's event): processes each uploaded photo. A failure throws, so Lambda retries the event
 * and, after its retries, parks it in the dead-letter queue.
 */
export async function handler(event: S3Event): Promise<void> {
  await processUploadEvent(event, deps);
}
