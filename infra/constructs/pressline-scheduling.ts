import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { WORKFLOW_ENV } from '../../shared/config.js';
import type { PresslineFunction } from './pressline-function.js';

export interface PresslineSchedulingProps {
  /** The scheduled-publishing function: what every schedule and the sweep invoke. */
  publisher: PresslineFunction;
  /** The function that creates, replaces and deletes an article's schedule (the API). */
  scheduler: PresslineFunction;
  /** How often the sweep publishes whatever is overdue. */
  sweepEvery?: Duration;
}

/**
 * Scheduled publishing on AWS (DESIGN.md decision 9): one EventBridge Scheduler one-time schedule
 * per article, in its own group, invoking the publishing function through a role that may do only
 * that; and a rule every minute that invokes the same function to sweep what is overdue, so a
 * schedule that failed or was never made still publishes within a minute.
 */
export class PresslineScheduling extends Construct {
  readonly group: CfnScheduleGroup;
  readonly invokeRole: Role;
  readonly sweep: Rule;

  constructor(scope: Construct, id: string, props: PresslineSchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new CfnScheduleGroup(this, 'Group', { name: `${stack.stackName}-publishing`.slice(0, 64) });
    const groupName = this.group.name ?? `${stack.stackName}-publishing`;

    this.invokeRole = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge Scheduler: invoke the Pressline scheduled-publishing function',
    });
    // The function itself, not `<arn>:*` (its versions): schedules invoke $LATEST.
    this.invokeRole.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.publisher.function.functionArn] }));

    // Spelled with the pseudo-parameters whatever the stack's region, so the acknowledgement below names it exactly.
    const schedules = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${groupName}/*`;
    props.scheduler.function.addToRolePolicy(
      new PolicyStatement({ actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'], resources: [schedules] }),
    );
    props.scheduler.function.addToRolePolicy(
      new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.invokeRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }),
    );
    Validations.of(props.scheduler.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*]`,
      reason: "Schedules are named per article at run time (publish-<article id>); the grant is only creating, replacing and deleting schedules in Pressline's own group.",
    });
    props.scheduler.function.addEnvironment(WORKFLOW_ENV.scheduleGroup, groupName);
    props.scheduler.function.addEnvironment(WORKFLOW_ENV.schedulerRoleArn, this.invokeRole.roleArn);
    props.scheduler.function.addEnvironment(WORKFLOW_ENV.publishFunctionArn, props.publisher.function.functionArn);

    this.sweep = new Rule(this, 'Sweep', {
      description: 'Pressline: publish scheduled articles that are overdue (a missed schedule heals itself)',
      schedule: Schedule.rate(props.sweepEvery ?? Duration.minutes(1)),
      // A failed sweep is not retried: the next one, a minute later, does the same work.
      targets: [new LambdaFunction(props.publisher.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    Validations.of(this.sweep).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason: 'A sweep event carries nothing: a lost one is replaced by the next a minute later, which does the same work; the function records its own failures (failed-events queue, Errors alarm).',
    });
  }
}
