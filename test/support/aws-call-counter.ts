import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { observeNewClients, type AwsClient } from '../../shared/storage/clients.js';
import { TABLE_KEYS } from '../../shared/storage/table-layout.js';

/** One SDK call as AWS would bill it. */
export interface AwsCall {
  service: 'DynamoDB' | 'S3';
  /** The API operation, e.g. `PutItem`, `PutObject`. */
  operation: string;
  /** DynamoDB on-demand write request units, the GSI's included. */
  writeUnits: number;
  readUnits: number;
  /** Object bytes sent (PUT) or received (GET). */
  bytes: number;
}

export interface AwsCallTotals {
  calls: number;
  /** `DynamoDB.PutItem` → how many times. */
  byOperation: Record<string, number>;
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
  s3Puts: number;
  s3Gets: number;
  s3BytesPut: number;
}

export interface AwsCallCounter {
  /** Calls recorded since the last `reset()`. */
  calls(): AwsCall[];
  totals(): AwsCallTotals;
  reset(): void;
  /** Stops instrumenting clients created afterwards; clients already instrumented keep counting into this counter. */
  stop(): void;
}

/**
 * Counts every AWS call made by clients created after this call, through SDK middleware on
 * `shared/storage/clients.ts`'s clients: what the handlers really send, retries aside (a retry is
 * a second billed request that the emulators never provoke). Capacity units follow DynamoDB's
 * sizing rules, so the benchmark can price a publish without an AWS bill.
 */
export function countAwsCalls(): AwsCallCounter {
  let recorded: AwsCall[] = [];
  const record = (call: AwsCall) => recorded.push(call);
  const stop = observeNewClients((client: AwsClient) => {
    if (client instanceof DynamoDBClient) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          record(dynamoDbCall(operationOf(context.commandName), args.input, result.output));
          return result;
        },
        { step: 'initialize', name: 'presslineAwsCallCounter' },
      );
    } else if (client instanceof S3Client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          record(s3Call(operationOf(context.commandName), args.input, result.output));
          return result;
        },
        { step: 'initialize', name: 'presslineAwsCallCounter' },
      );
    }
  });
  return {
    calls: () => [...recorded],
    totals: () => totalsOf(recorded),
    reset: () => {
      recorded = [];
    },
    stop,
  };
}

export function totalsOf(calls: readonly AwsCall[]): AwsCallTotals {
  const byOperation: Record<string, number> = {};
  for (const call of calls) byOperation[`${call.service}.${call.operation}`] = (byOperation[`${call.service}.${call.operation}`] ?? 0) + 1;
  const sum = (pick: (call: AwsCall) => number) => calls.reduce((n, call) => n + pick(call), 0);
  return {
    calls: calls.length,
    byOperation,
    dynamodbWriteUnits: sum((c) => c.writeUnits),
    dynamodbReadUnits: sum((c) => c.readUnits),
    s3Puts: calls.filter((c) => c.service === 'S3' && c.operation === 'PutObject').length,
    s3Gets: calls.filter((c) => c.service === 'S3' && c.operation === 'GetObject').length,
    s3BytesPut: sum((c) => (c.service === 'S3' && c.operation === 'PutObject' ? c.bytes : 0)),
  };
}

const operationOf = (commandName: string | undefined) => (commandName ?? 'Unknown').replace(/Command$/, '');

type Item = Record<string, AttributeValue>;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const itemOf = (value: unknown): Item | undefined => (isRecord(value) ? (value as Item) : undefined);

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits). */
export function dynamoDbItemBytes(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + attributeBytes(value);
  return bytes;
}

function attributeBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + attributeBytes(v), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + attributeBytes(v), 0);
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.length, 0);
  return 0;
}

/** A write costs one unit per started KB, again for the GSI when the item carries its key (projection ALL). */
function writeUnitsFor(item: Item | undefined): number {
  if (!item) return 1;
  const units = Math.max(1, Math.ceil(dynamoDbItemBytes(item) / 1024));
  return item[TABLE_KEYS.listPartitionKey] ? units * 2 : units;
}

function dynamoDbCall(operation: string, input: unknown, output: unknown): AwsCall {
  const call: AwsCall = { service: 'DynamoDB', operation, writeUnits: 0, readUnits: 0, bytes: 0 };
  const request = isRecord(input) ? input : {};
  switch (operation) {
    case 'PutItem':
      call.writeUnits = writeUnitsFor(itemOf(request.Item));
      break;
    case 'DeleteItem':
    case 'UpdateItem':
      call.writeUnits = 1;
      break;
    case 'BatchWriteItem':
      for (const writes of Object.values(isRecord(request.RequestItems) ? request.RequestItems : {})) {
        for (const write of Array.isArray(writes) ? writes : []) {
          call.writeUnits += isRecord(write) && isRecord(write.PutRequest) ? writeUnitsFor(itemOf(write.PutRequest.Item)) : 1;
        }
      }
      break;
    case 'GetItem': {
      const item = isRecord(output) ? itemOf(output.Item) : undefined;
      const units = Math.max(1, Math.ceil((item ? dynamoDbItemBytes(item) : 0) / 4096));
      call.readUnits = request.ConsistentRead === true ? units : units / 2;
      break;
    }
    default:
      break;
  }
  return call;
}

function s3Call(operation: string, input: unknown, output: unknown): AwsCall {
  const call: AwsCall = { service: 'S3', operation, writeUnits: 0, readUnits: 0, bytes: 0 };
  if (operation === 'PutObject' && isRecord(input)) {
    const body = input.Body;
    call.bytes = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.length : 0;
  } else if (operation === 'GetObject' && isRecord(output) && typeof output.ContentLength === 'number') {
    call.bytes = output.ContentLength;
  }
  return call;
}
