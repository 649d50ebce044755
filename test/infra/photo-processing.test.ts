import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ASYNC_RETRY_ATTEMPTS } from '../../infra/constructs/pressline-function.js';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { buildApp, synthTemplate } from './support/synth.js';
import { grantsOf, logicalIdOf, onlyResourceOf, resourcesOf, roleStatements } from './support/template.js';

const { stack, template } = synthTemplate();
const processMedia = stack.functions.processMedia;
const failedEvents = processMedia.failedEvents;
if (!failedEvents) throw new Error('processMedia has no failed-events queue');

const functionArn = { 'Fn::GetAtt': [logicalIdOf(processMedia.function), 'Arn'] };
const queueArn = { 'Fn::GetAtt': [logicalIdOf(failedEvents), 'Arn'] };
const mediaArn = { 'Fn::GetAtt': [logicalIdOf(stack.storage.mediaBucket), 'Arn'] };
const mediaObjects = (pattern: string) => ({ 'Fn::Join': ['', [mediaArn, `/${pattern}`]] });

/** The rule ids acknowledged on a construct itself (not its children). */
function acknowledgedOn(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^Annotation::/, ''));
}

describe('photo processing (the processMedia function)', () => {
  it('runs for every object created under uploads/ of the media bucket, and for nothing else', () => {
    const [, notifications] = onlyResourceOf(template, 'Custom::S3BucketNotifications');
    expect(notifications.Properties.BucketName).toEqual({ Ref: logicalIdOf(stack.storage.mediaBucket) });
    expect(notifications.Properties.NotificationConfiguration).toEqual({
      LambdaFunctionConfigurations: [
        { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } }, LambdaFunctionArn: functionArn },
      ],
    });
  });

  it('may be invoked by S3 for the media bucket in this account only', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(functionArn));
    expect(permissions.map((p) => p.Properties)).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: functionArn, Principal: 's3.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: mediaArn },
    ]);
  });

  it('is an arm64 function with 3008 MiB (two vCPUs for the encoders) and 300 s', () => {
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(processMedia.function)];
    expect(fn?.Properties).toMatchObject({ Architectures: ['arm64'], MemorySize: 3008, Timeout: 300 });
    expect(FUNCTIONS.processMedia).toMatchObject({ memoryMiB: 3008, timeoutSeconds: 300, invocation: 'event', nativeModules: ['sharp'] });
  });

  it(`retries a failed event ${ASYNC_RETRY_ATTEMPTS} times, then sends it to its failed-events queue`, () => {
    const config = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).find((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(processMedia.function) }));
    if (!config) throw new Error('no invoke configuration for processMedia');
    expect(config.Properties).toEqual({
      FunctionName: { Ref: logicalIdOf(processMedia.function) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
  });

  it('keeps failed events for 14 days in an encrypted queue that refuses requests without TLS', () => {
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[logicalIdOf(failedEvents)];
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find((p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: logicalIdOf(failedEvents) }]));
    if (!policy) throw new Error('no queue policy for the failed-events queue');
    expect(policy.Properties).toEqual({
      Queues: [{ Ref: logicalIdOf(failedEvents) }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'sqs:*', Principal: { AWS: '*' }, Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      },
    });
  });

  it('names the queue in the stack outputs, for ops to read', () => {
    const outputs = (template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs.FailedPhotoEventsQueueUrl?.Value).toEqual({ Ref: logicalIdOf(failedEvents) });
  });

  it('alarms as soon as a failed event waits in the queue', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(failedEvents), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
  });

  it('may read and delete originals, write and delete renditions, get and update items, and nothing else', () => {
    expect(grantsOf(roleStatements(template, logicalIdOf(processMedia.role)))).toEqual(
      [
        ['dynamodb:GetItem', { 'Fn::GetAtt': [logicalIdOf(stack.storage.table), 'Arn'] }],
        ['dynamodb:UpdateItem', { 'Fn::GetAtt': [logicalIdOf(stack.storage.table), 'Arn'] }],
        ['s3:GetObject', mediaObjects('uploads/*')],
        ['s3:DeleteObject', mediaObjects('uploads/*')],
        ['s3:PutObject', mediaObjects('media/*')],
        ['s3:DeleteObject', mediaObjects('media/*')],
        // What Lambda itself needs: its log group, X-Ray (no resource-level permissions), the on-failure destination.
        ['logs:CreateLogStream', { 'Fn::GetAtt': [logicalIdOf(processMedia.logGroup), 'Arn'] }],
        ['logs:PutLogEvents', { 'Fn::GetAtt': [logicalIdOf(processMedia.logGroup), 'Arn'] }],
        ['xray:PutTelemetryRecords', '*'],
        ['xray:PutTraceSegments', '*'],
        ['sqs:SendMessage', queueArn],
      ]
        .map(([action, resource]) => `Allow ${String(action)} ${JSON.stringify(resource)}`)
        .sort(),
    );
  });

  it('only the asynchronously invoked functions have a failed-events queue; the HTTP functions keep their synchronous-invocation acknowledgements', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = stack.functions[name];
      const acks = acknowledgedOn(fn.function);
      if (FUNCTIONS[name].invocation === 'event') {
        expect(fn.failedEvents).toBeDefined();
        expect(acks).not.toContain('Serverless-LambdaAsyncFailureDestination');
      } else {
        expect(fn.failedEvents).toBeUndefined();
        expect(acks).toEqual(expect.arrayContaining(['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']));
      }
    }
  });

  it('refuses to let S3 trigger a function invoked over HTTP, whose failures have no queue', () => {
    const { stack: other } = buildApp();
    expect(() => other.functions.api.processesNewObjects('mediaBucket', other.storage.mediaBucket, 'uploads/')).toThrow(/invocation 'event'/);
  });
});
