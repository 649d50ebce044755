import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { buildApp, synthTemplate } from './support/synth.js';
import { logicalIdOf, onlyResourceOf, resourcesOf } from './support/template.js';

const { stack, template } = synthTemplate();
const processMedia = stack.functions.processMedia;
const failedEvents = processMedia.failedEvents;
if (!failedEvents) throw new Error('processMedia has no failed-events queue');

const functionArn = { 'Fn::GetAtt': [logicalIdOf(processMedia.function), 'Arn'] };
const queueArn = { 'Fn::GetAtt': [logicalIdOf(failedEvents), 'Arn'] };
const mediaArn = { 'Fn::GetAtt': [logicalIdOf(stack.storage.mediaBucket), 'Arn'] };

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

  it('retries a failed event, then sends it to its failed-events queue (a photo is never dropped silently)', () => {
    const config = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).find((c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(processMedia.function) }));
    if (!config) throw new Error('no invoke configuration for processMedia');
    expect(config.Properties).toMatchObject({
      FunctionName: { Ref: logicalIdOf(processMedia.function) },
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    expect(config.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
  });

  it('keeps failed events past a long weekend (SQS’s default is 4 days) in an encrypted queue that refuses requests without TLS', () => {
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[logicalIdOf(failedEvents)];
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(queue?.Properties.MessageRetentionPeriod).toBeGreaterThanOrEqual(7 * 24 * 3600);
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

  // What it may read, write and delete: iam-matches-recorded-calls.test.ts, against the calls its handler makes.

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
