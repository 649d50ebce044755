import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/functions-catalog.js';
import { synthTemplate } from './support/synth.js';
import { grantsOf, logicalIdOf, onlyResourceOf, resourcesOf, roleStatements } from './support/template.js';

const STAGE = 'staging';
const { stack, template } = synthTemplate({ stage: STAGE });
const queueId = logicalIdOf(stack.invalidations.queue);
const deadLettersId = logicalIdOf(stack.invalidations.deadLetters);
const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
const distribution = logicalIdOf(stack.cdn.distribution);
const queues = resourcesOf(template, 'AWS::SQS::Queue');
const invalidateRole = logicalIdOf(stack.functions.invalidate.role);

describe('the CDN invalidation queue', () => {
  it('is encrypted, and refuses anything but TLS, like its dead-letter queue', () => {
    for (const id of [queueId, deadLettersId]) {
      expect(queues[id]?.Properties.SqsManagedSseEnabled).toBe(true);
      const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties.Queues).includes(id));
      const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }).Statement);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('moves a message CloudFront kept refusing to the dead-letter queue after its last receive, retrying it until then with the visibility timeout as backoff', () => {
    const queue = queues[queueId]!.Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] }, maxReceiveCount: expect.any(Number) });
    const { maxReceiveCount } = queue.RedrivePolicy as { maxReceiveCount: number };
    // Retried for at least ten minutes of a busy CloudFront before anyone is paged.
    expect(maxReceiveCount * (queue.VisibilityTimeout as number)).toBeGreaterThanOrEqual(600);
    // A message is visible again only once the invocation holding it has surely ended.
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(FUNCTIONS.invalidate.timeoutSeconds * 2);
    // The dead letters are kept long enough to be read after a weekend.
    expect(queues[deadLettersId]?.Properties.MessageRetentionPeriod as number).toBeGreaterThanOrEqual(7 * 24 * 3600);
    expect(queues[deadLettersId]?.Properties.RedrivePolicy).toBeUndefined();
  });

  it('raises an alarm as soon as one message waits on the dead-letter queue', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(deadLettersId));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('raises an alarm when a change logs that it could not queue its invalidation', () => {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter'));
    const logGroups = filters.map((f) => (f.Properties.LogGroupName as { Ref: string }).Ref).sort();
    expect(logGroups).toEqual([logicalIdOf(stack.functions.api.logGroup), logicalIdOf(stack.functions.publishScheduled.logGroup)].sort());
    for (const filter of filters) expect(filter.Properties.FilterPattern).toBe('{ $.message = "CDN invalidation could not be queued" }');
    // The stage's own namespace: another stage in the region logging the same line raises its own alarm, not this one.
    for (const filter of filters) {
      expect(filter.Properties.MetricTransformations).toEqual([expect.objectContaining({ MetricNamespace: `Pressline/${STAGE}`, MetricName: 'InvalidationsNotQueued' })]);
    }
    const alarm = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).find((a) => a.Properties.MetricName === 'InvalidationsNotQueued');
    expect(alarm?.Properties).toMatchObject({ Namespace: `Pressline/${STAGE}`, Threshold: 1 });
  });

  it('is drained by the invalidate function in batches gathered over a window, failed messages reported one by one, at most two invocations at once', () => {
    const [, mapping] = onlyResourceOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: queueArn,
      FunctionName: { Ref: logicalIdOf(stack.functions.invalidate.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(mapping.Properties.MaximumBatchingWindowInSeconds as number).toBeGreaterThanOrEqual(5);
    expect(mapping.Properties.BatchSize as number).toBeGreaterThan(10);
  });

  it('lets the invalidate function consume the queue and create invalidations on this distribution, nothing more', () => {
    const grants = grantsOf(roleStatements(template, invalidateRole)).filter((g) => !/ logs:| xray:/.test(g));
    const distributionArn = JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distribution }]] });
    expect(grants).toEqual(
      [
        `Allow cloudfront:CreateInvalidation ${distributionArn}`,
        ...['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'].map((action) => `Allow ${action} ${JSON.stringify(queueArn)}`),
      ].sort(),
    );
  });

  it('lets only the API and the scheduled step send to it, and only send', () => {
    const senders = Object.keys(stack.functions).filter((name) =>
      grantsOf(roleStatements(template, logicalIdOf(stack.functions[name as keyof typeof stack.functions].role))).some((g) => g.includes(JSON.stringify(queueArn)) && g.includes('sqs:SendMessage')),
    );
    expect(senders.sort()).toEqual(['api', 'publishScheduled']);
    for (const name of ['api', 'publishScheduled'] as const) {
      const onQueue = grantsOf(roleStatements(template, logicalIdOf(stack.functions[name].role))).filter((g) => g.endsWith(JSON.stringify(queueArn)));
      expect(onQueue).toEqual([`Allow sqs:SendMessage ${JSON.stringify(queueArn)}`]);
    }
  });
});
