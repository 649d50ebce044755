import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_ENV, WORKFLOW_ENV } from '../../shared/config.js';
import { synthTemplate } from './support/synth.js';
import { grantsOf, logicalIdOf, onlyResourceOf, resourcesOf, roleStatements } from './support/template.js';

const { stack, template } = synthTemplate();
const publisher = stack.functions.publishScheduled;
const publisherArn = { 'Fn::GetAtt': [logicalIdOf(publisher.function), 'Arn'] };
const invokeRoleArn = { 'Fn::GetAtt': [logicalIdOf(stack.scheduling.invokeRole), 'Arn'] };
const apiVariables = (built: ReturnType<typeof synthTemplate>) =>
  (resourcesOf(built.template, 'AWS::Lambda::Function')[logicalIdOf(built.stack.functions.api.function)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('scheduled publishing (EventBridge Scheduler and the sweep)', () => {
  it("has its own schedule group, which the API is told along with the role and the function schedules invoke", () => {
    const [groupId, group] = onlyResourceOf(template, 'AWS::Scheduler::ScheduleGroup');
    expect(group.Properties.Name).toBe('Pressline-dev-publishing');
    expect(groupId).toBe(logicalIdOf(stack.scheduling.group));
    const variables = apiVariables({ stack, template });
    expect(variables[WORKFLOW_ENV.scheduleGroup]).toBe('Pressline-dev-publishing');
    expect(variables[WORKFLOW_ENV.schedulerRoleArn]).toEqual(invokeRoleArn);
    expect(variables[WORKFLOW_ENV.publishFunctionArn]).toEqual(publisherArn);
  });

  it('invokes the publishing function through a role that only EventBridge Scheduler of this account may assume, and that may do nothing else', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[logicalIdOf(stack.scheduling.invokeRole)];
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
    });
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(grantsOf(roleStatements(template, logicalIdOf(stack.scheduling.invokeRole)))).toEqual([`Allow lambda:InvokeFunction ${JSON.stringify(publisherArn)}`]);
  });

  it('lets the API create, replace and delete schedules in that group only, and pass that role only to EventBridge Scheduler', () => {
    const grants = grantsOf(roleStatements(template, logicalIdOf(stack.functions.api.role))).filter((g) => /scheduler:|iam:/.test(g));
    const schedules = JSON.stringify({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule/Pressline-dev-publishing/*']],
    });
    expect(grants).toEqual([
      `Allow iam:PassRole ${JSON.stringify(invokeRoleArn)} if ${JSON.stringify({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } })}`,
      `Allow scheduler:CreateSchedule ${schedules}`,
      `Allow scheduler:DeleteSchedule ${schedules}`,
      `Allow scheduler:UpdateSchedule ${schedules}`,
    ]);
  });

  it('sweeps every minute with the same function, so a schedule that never fires is caught', () => {
    const [, rule] = onlyResourceOf(template, 'AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: publisherArn, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } })]);
  });

  it('gives the publishing function what a publish needs: the table (never Scan), pages, the invalidation queue (never CloudFront itself)', () => {
    const actions = grantsOf(roleStatements(template, logicalIdOf(publisher.role))).map((g) => g.split(' ')[1]);
    expect([...new Set(actions.filter((a) => a?.startsWith('dynamodb:')))].sort()).toEqual(
      ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    );
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 'sqs:SendMessage']));
    expect(actions.filter((a) => a?.startsWith('cloudfront:'))).toEqual([]);
    expect(actions.filter((a) => a === 'scheduler:CreateSchedule' || a === 's3:GetObject')).toEqual([]);
  });

  it('turns review on only with -c review=true', () => {
    expect(apiVariables({ stack, template })[WORKFLOW_ENV.reviewRequired]).toBeUndefined();
    expect(apiVariables(synthTemplate({ review: 'true' }))[WORKFLOW_ENV.reviewRequired]).toBe('true');
    expect(() => synthTemplate({ review: 'yes' })).toThrow('-c review=yes: use true or false');
  });

  it('tells the API the per-person write limit only when -c writesPerMinute is given (else its default)', () => {
    expect(apiVariables({ stack, template })[RATE_LIMIT_ENV.writesPerMinute]).toBeUndefined();
    expect(apiVariables(synthTemplate({ writesPerMinute: '120' }))[RATE_LIMIT_ENV.writesPerMinute]).toBe('120');
    expect(() => synthTemplate({ writesPerMinute: '0' })).toThrow('-c writesPerMinute=0: use a whole number');
  });
});
