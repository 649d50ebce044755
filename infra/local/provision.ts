import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { NewsroomFile } from '../newsroom-build.js';
import { MEDIA_UPLOAD_CORS, TABLE_DEFINITION } from '../storage-definitions.js';

/** Creates the table from the shared definition unless it exists (on an emulator or a real account). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'exists';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keyAttributes = [
    TABLE_DEFINITION.partitionKey,
    TABLE_DEFINITION.sortKey,
    ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...new Set(keyAttributes)].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.ttlAttribute, Enabled: true } }));
  } catch {
    // dynalite does not implement TTL; nothing relies on it for correctness.
  }
  return 'created';
}

export async function ensureBucket(client: S3Client, bucket: string): Promise<'created' | 'exists'> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'exists';
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return 'created';
  }
}

/** Lets pages from `origins` post photos to the media bucket and read the answer (the newsroom's uploads). */
export async function allowUploadsFrom(client: S3Client, bucket: string, origins: readonly string[]): Promise<void> {
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [...origins],
            AllowedMethods: [...MEDIA_UPLOAD_CORS.allowedMethods],
            AllowedHeaders: [...MEDIA_UPLOAD_CORS.allowedHeaders],
            MaxAgeSeconds: MEDIA_UPLOAD_CORS.maxAgeSeconds,
          },
        ],
      },
    }),
  );
}

/** Puts the built newsroom app into the site bucket, as the stack's BucketDeployment does. */
export async function putNewsroom(client: S3Client, bucket: string, files: readonly NewsroomFile[]): Promise<void> {
  for (const file of files) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: file.body, ContentType: file.contentType, CacheControl: file.cacheControl }));
  }
}
