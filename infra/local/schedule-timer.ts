export interface ScheduleTimerOptions {
  /** The scheduled-publishing handler (functions/publish-scheduled.ts). */
  publishScheduled: (event: unknown) => Promise<{ published: string[] }>;
  intervalMs: number;
}

/**
 * `npm start`'s stand-in for EventBridge Scheduler and the sweep rule: calls the publishing handler
 * with a sweep event at once (catching up on what came due while stopped) and then every interval.
 * Sweeps never overlap; a failed one is logged and the next one retries.
 */
export function startScheduleTimer(options: ScheduleTimerOptions): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweep = () => {
    if (running || stopped) return;
    running = options
      .publishScheduled({ source: 'pressline.local-timer' })
      .then(() => {})
      .catch((error: unknown) => console.error(JSON.stringify({ level: 'error', message: 'scheduled publish sweep failed', error: String(error) })))
      .finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
