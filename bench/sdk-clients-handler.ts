import { createDynamoDbClient, createS3Client } from '../shared/storage/clients.js';

// The floor for a function that talks to DynamoDB and S3: the two SDK clients built, nothing else.
const dynamodb = createDynamoDbClient();
const s3 = createS3Client();

export async function handler(): Promise<{ statusCode: number; clients: number }> {
  return { statusCode: 204, clients: [dynamodb, s3].length };
}
