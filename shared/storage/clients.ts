import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
// Types only: these clients are loaded on first use, by the modules that make them.
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { SQSClient } from '@aws-sdk/client-sqs';

export type AwsClient = DynamoDBClient | S3Client | CloudFrontClient | SQSClient;

// Instrumentation seam (benchmark, AWS-calls budget test): nothing registers here in production.
const clientObservers: Array<(client: AwsClient) => void> = [];

/**
 * Shows every client created from now on to `observe` (which may add SDK middleware, e.g. to count
 * calls). Returns a function that stops observing new clients.
 */
export function observeNewClients(observe: (client: AwsClient) => void): () => void {
  clientObservers.push(observe);
  return () => {
    const at = clientObservers.indexOf(observe);
    if (at >= 0) clientObservers.splice(at, 1);
  };
}

export function observed<T extends AwsClient>(client: T): T {
  for (const observe of clientObservers) observe(client);
  return client;
}

/**
 * SDK clients for Lambda and for the local runtime. With `AWS_ENDPOINT_URL_*` set (emulators,
 * another S3/DynamoDB-compatible service) they talk to that endpoint; otherwise to AWS.
 */
export function createDynamoDbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  return observed(new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...regionOf(env), maxAttempts: 3 }));
}

/** The SDK reads the region from `process.env` itself; a region in the `env` given (a CLI's `--region`) must be passed on. */
function regionOf(env: NodeJS.ProcessEnv): { region?: string } {
  return env.AWS_REGION ? { region: env.AWS_REGION } : {};
}

export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return observed(
    new S3Client({
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...regionOf(env),
      // Checksums only where S3 requires them: s3rver stores aws-chunked framing verbatim otherwise.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    }),
  );
}
