import { describe, expect, it } from 'vitest';
import { dynamoDbItemBytes, totalsOf, type AwsCall } from '../support/aws-call-counter.js';

describe('dynamoDbItemBytes', () => {
  it('counts attribute names and string values in UTF-8, as DynamoDB sizes items', () => {
    expect(dynamoDbItemBytes({ pk: { S: 'SHORT#7kq2m9x' }, sk: { S: 'SHORT' } })).toBe(2 + 13 + 2 + 5);
    expect(dynamoDbItemBytes({ t: { S: 'é' } })).toBe(1 + 2);
  });

  it('counts numbers by significant digits and nested maps with their overhead', () => {
    expect(dynamoDbItemBytes({ n: { N: '1200' } })).toBe(1 + 3);
    expect(dynamoDbItemBytes({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + 1 + 1 + 2);
  });
});

describe('totalsOf', () => {
  it('adds up calls by operation, capacity units and S3 bytes', () => {
    const calls: AwsCall[] = [
      { service: 'DynamoDB', operation: 'GetItem', writeUnits: 0, readUnits: 0.5, bytes: 0 },
      { service: 'DynamoDB', operation: 'PutItem', writeUnits: 1, readUnits: 0, bytes: 0 },
      { service: 'DynamoDB', operation: 'PutItem', writeUnits: 1, readUnits: 0, bytes: 0 },
      { service: 'S3', operation: 'PutObject', writeUnits: 0, readUnits: 0, bytes: 9000 },
    ];

    expect(totalsOf(calls)).toEqual({
      calls: 4,
      byOperation: { 'DynamoDB.GetItem': 1, 'DynamoDB.PutItem': 2, 'S3.PutObject': 1 },
      dynamodbWriteUnits: 2,
      dynamodbReadUnits: 0.5,
      s3Puts: 1,
      s3Gets: 0,
      s3BytesPut: 9000,
    });
  });
});
