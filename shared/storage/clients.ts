import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * SDK clients for Lambda and for the local runtime. With `AWS_ENDPOINT_URL_*` set (emulators,
 * another S3/DynamoDB-compatible service) they talk to that endpoint; otherwise to AWS.
 */
export function createDynamoDbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  return new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), maxAttempts: 3 });
}

export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: s3rver stores aws-chunked framing verbatim otherwise.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}
