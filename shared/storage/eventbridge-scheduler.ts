import type { Scheduler } from './ports.js';

export interface EventBridgeSchedulerSettings {
  /** The schedule group the stack created; schedules are named after their article. */
  groupName: string;
  /** The role EventBridge Scheduler assumes to invoke the publishing function. */
  roleArn: string;
  /** The scheduled-publishing function. */
  targetArn: string;
}

/**
 * `2026-11-30T14:00:30.000Z` → `at(2026-11-30T14:00:30)`: Scheduler's one-time expression, in UTC,
 * whole seconds rounded up, so a schedule never fires before its embargo (the step would find it not yet due).
 */
export const atExpression = (iso: string) => `at(${new Date(Math.ceil(Date.parse(iso) / 1000) * 1000).toISOString().slice(0, 19)})`;

/**
 * One EventBridge Scheduler one-time schedule per article (`publish-<id>`), deleted by Scheduler
 * once it has run. Rescheduling replaces it; the client is loaded on first use, so a publish that
 * schedules nothing never pays for it.
 */
export function eventBridgeScheduler(settings: EventBridgeSchedulerSettings): Scheduler {
  let client: Promise<typeof import('@aws-sdk/client-scheduler') & { client: import('@aws-sdk/client-scheduler').SchedulerClient }> | undefined;
  const sdk = () => (client ??= import('@aws-sdk/client-scheduler').then((m) => ({ ...m, client: new m.SchedulerClient({ maxAttempts: 3 }) })));
  const name = (articleId: string) => `publish-${articleId}`;
  return {
    async schedule(articleId, at) {
      const { client, CreateScheduleCommand, UpdateScheduleCommand, ConflictException } = await sdk();
      const input = {
        Name: name(articleId),
        GroupName: settings.groupName,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' as const },
        ActionAfterCompletion: 'DELETE' as const,
        Target: { Arn: settings.targetArn, RoleArn: settings.roleArn, Input: JSON.stringify({ articleId }), RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 } },
      };
      try {
        await client.send(new CreateScheduleCommand(input));
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
        await client.send(new UpdateScheduleCommand(input));
      }
    },
    async cancel(articleId) {
      const { client, DeleteScheduleCommand, ResourceNotFoundException } = await sdk();
      try {
        await client.send(new DeleteScheduleCommand({ Name: name(articleId), GroupName: settings.groupName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
}

/** Locally the runtime's timer sweeps the schedule every few seconds: nothing to arrange per article. */
export const sweepOnlyScheduler: Scheduler = { schedule: async () => {}, cancel: async () => {} };
