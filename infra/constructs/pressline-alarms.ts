import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INVALIDATION_NOT_QUEUED } from '../../shared/publishing/request-invalidation.js';

export interface PresslineAlarmsProps {
  /** In the namespace of the metrics the stack makes itself: each stage of a region counts its own. */
  stage: string;
  httpApi: IHttpApi;
  functions: Readonly<Record<string, IFunction>>;
  /** Per function invoked by events, the queue its events land on after failing every retry. */
  failedEvents?: Readonly<Record<string, IQueue>>;
  /** Log groups of the functions that queue invalidations: a line saying one could not be queued raises an alarm. */
  invalidationsNotQueued?: readonly ILogGroup[];
  /** An existing SNS topic to notify (e.g. one ops already subscribe to); none: alarms only show in the console. */
  alarmTopicArn?: string;
}

/** Five minutes: short enough to page during an incident, long enough not to page on one cold start. */
const PERIOD = Duration.minutes(5);

/**
 * What ops need to know without looking: the API answering 5xx, any function erroring or being
 * throttled, and an event (an uploaded photo) that failed for good. No data means no traffic, which
 * is not an alarm.
 */
export class PresslineAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: PresslineAlarmsProps) {
    super(scope, id);
    const topic = props.alarmTopicArn ? Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn) : undefined;
    const add = (alarmId: string, description: string, metric: IMetric, threshold: number) => {
      const alarm = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (topic) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
      }
      this.alarms.push(alarm);
    };

    add('Api5xx', 'Pressline HTTP API answered 5xx at least 5 times in 5 minutes', props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }), 5);
    const labelOf = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${labelOf(name)}Errors`, `Pressline ${name} function failed (uncaught error or timeout) in the last 5 minutes`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1);
      add(`${labelOf(name)}Throttles`, `Pressline ${name} function was throttled in the last 5 minutes`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 1);
    }
    // Errors fire on every failed attempt, retries included; this one says an event is given up on,
    // and stays in alarm until someone reads the queue and redrives or deletes what waits there.
    for (const [name, queue] of Object.entries(props.failedEvents ?? {})) {
      add(
        `${labelOf(name)}FailedEvents`,
        `Pressline ${name} function: an event failed every retry and waits in its failed-events queue (read it, then redrive or delete it)`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        1,
      );
    }
    // A change stored while the queue refused its invalidation (after the SDK's retries): the log
    // line carries the paths, for ops to invalidate by hand; cached copies expire meanwhile.
    const notQueued = (props.invalidationsNotQueued ?? []).map(
      (logGroup, i) =>
        new MetricFilter(this, `InvalidationNotQueuedFilter${i}`, {
          logGroup,
          filterPattern: FilterPattern.stringValue('$.message', '=', INVALIDATION_NOT_QUEUED),
          metricNamespace: `Pressline/${props.stage}`,
          metricName: 'InvalidationsNotQueued',
          metricValue: '1',
        }),
    );
    if (notQueued[0]) {
      add(
        'InvalidationsNotQueued',
        'Pressline: a change could not queue its CDN invalidation; its log line lists the paths (invalidate them by hand if they matter)',
        notQueued[0].metric({ period: PERIOD, statistic: 'Sum' }),
        1,
      );
    }
  }
}
