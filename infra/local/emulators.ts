import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';

export interface Emulators {
  dynamodbEndpoint: string;
  s3Endpoint: string;
  /** Calls `listener` with each S3 notification s3rver emits (it fires one per created or deleted object). */
  onS3Event(listener: (event: S3Event) => void): void;
  stop(): Promise<void>;
}

/** s3rver accepts only this access key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Starts dynalite and s3rver in this process on loopback, keeping their data under `dataDir`
 * (or in memory for dynalite when `dataDir` is undefined, as the tests do). Port 0 picks a free port.
 */
export async function startEmulators(options: { dataDir?: string; dynamodbPort?: number; s3Port?: number; s3Dir: string }): Promise<Emulators> {
  let dynamoPath: string | undefined;
  if (options.dataDir) {
    dynamoPath = join(options.dataDir, 'dynamodb');
    mkdirSync(dynamoPath, { recursive: true });
  }
  mkdirSync(options.s3Dir, { recursive: true });

  const dynamo = dynalite({ ...(dynamoPath ? { path: dynamoPath } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, '127.0.0.1', () => resolve());
  });
  const s3 = new S3rver({ address: '127.0.0.1', port: options.s3Port ?? 0, directory: options.s3Dir, silent: true });
  let s3Address: AddressInfo;
  try {
    s3Address = await s3.run();
  } catch (error) {
    dynamo.close();
    throw error;
  }
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  return {
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    onS3Event(listener) {
      s3.on('event', listener);
    },
    async stop() {
      await s3.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
