import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INVALIDATION_QUEUE_DEFINITION } from '../storage-definitions.js';

/**
 * The durable queue between a change and CloudFront: the API and the scheduled step send the paths
 * a change affects; the invalidate function drains it in batches. A message CloudFront keeps
 * refusing comes back after the visibility timeout (the backoff), and after the most receives
 * moves to the dead-letter queue, where an alarm watches it: no invalidation is dropped unseen.
 */
export class PresslineInvalidationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(INVALIDATION_QUEUE_DEFINITION.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: INVALIDATION_QUEUE_DEFINITION.maxReceiveCount },
    });
    const isTheDeadLetterQueue = 'This queue is itself the dead-letter queue of the invalidation queue; a queue behind it would only receive the same messages again.';
    Validations.of(this.deadLetters).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue },
      { id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue },
    );
  }
}
