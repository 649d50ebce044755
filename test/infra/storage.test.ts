import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthTemplate } from './support/synth.js';
import { logicalIdOf, onlyResourceOf, resourcesOf } from './support/template.js';

const dev = synthTemplate();
const prod = synthTemplate({ stage: 'prod' });

describe('the table', () => {
  // Its keys, index and TTL attribute: iam-matches-recorded-calls.test.ts, against the items the handlers are recorded using.

  it('is on-demand with point-in-time recovery', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is retained with deletion protection in prod, and the prod stack has termination protection', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    expect(prod.stack.terminationProtection).toBe(true);
  });

  it('is disposable in other stages', () => {
    const [, table] = onlyResourceOf(dev.template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(dev.stack.terminationProtection).toBe(false);
  });
});

describe('the buckets', () => {
  const buckets = Object.entries(resourcesOf(dev.template, 'AWS::S3::Bucket'));
  const { mediaBucket, siteBucket, logBucket } = dev.stack.storage;

  it('are the media, site and access-log buckets', () => {
    expect(buckets.map(([id]) => id).sort()).toEqual([logicalIdOf(logBucket), logicalIdOf(mediaBucket), logicalIdOf(siteBucket)].sort());
  });

  it.each(buckets)('%s blocks all public access, is encrypted and is retained', (_id, bucket) => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it.each(buckets)('%s refuses requests without TLS', (id) => {
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('versions the media bucket, so a reporter’s photo deleted or overwritten by mistake can be recovered', () => {
    const versioning = (id: string) => (resourcesOf(dev.template, 'AWS::S3::Bucket')[id]?.Properties.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    expect(versioning(logicalIdOf(mediaBucket))).toBe('Enabled');
  });

  it('aborts an incomplete multipart upload to the media bucket after a day, uploads/ included (the rule has no prefix)', () => {
    const media = resourcesOf(dev.template, 'AWS::S3::Bucket')[logicalIdOf(mediaBucket)];
    const rules = (media?.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }));
    const abortRule = rules.find((rule) => rule.AbortIncompleteMultipartUpload);
    expect(abortRule?.Prefix).toBeUndefined();
    expect(abortRule?.TagFilters).toBeUndefined();
  });

  it('logs access to the media and site buckets into the log bucket, which expires its logs', () => {
    const all = resourcesOf(dev.template, 'AWS::S3::Bucket');
    for (const [bucket, prefix] of [[mediaBucket, 's3/media/'], [siteBucket, 's3/site/']] as const) {
      expect(all[logicalIdOf(bucket)]?.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logicalIdOf(logBucket) }, LogFilePrefix: prefix });
    }
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 14, Status: 'Enabled' })]) },
    });
  });
});
