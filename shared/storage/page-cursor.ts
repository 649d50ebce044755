import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';

/** The page cursor: the last key a Query read, opaque to clients (every key attribute here is a string). */
const cursorSchema = z.record(z.string(), z.object({ S: z.string() }));

export function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The key a cursor stands for, refused unless it belongs to the same query (`expected`: the
 * partition attributes it must carry), so a cursor cannot be used to read another partition.
 */
export function decodeCursor(cursor: string, expected: Record<string, string>): Record<string, AttributeValue> {
  const invalid = () => new ValidationError([{ path: 'cursor', rule: 'format', message: 'cursor must be the nextCursor of the previous page, unchanged' }]);
  let key: Record<string, { S: string }>;
  try {
    key = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  for (const [name, value] of Object.entries(expected)) if (key[name]?.S !== value) throw invalid();
  return key;
}
