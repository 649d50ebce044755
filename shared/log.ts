/** Structured JSON logs: a fixed message plus data, so they can be queried in CloudWatch Logs Insights. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

function serialiseError(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(context: Record<string, unknown> = {}, level: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info'): Logger {
  const threshold = ORDER[level] ?? ORDER.info;
  const write = (at: Level, message: string, data: Record<string, unknown> = {}) => {
    if (ORDER[at] < threshold) return;
    const entry: Record<string, unknown> = { level: at, message, time: new Date().toISOString(), ...context };
    for (const [k, v] of Object.entries(data)) entry[k] = serialiseError(v);
    (at === 'error' || at === 'warn' ? process.stderr : process.stdout).write(JSON.stringify(entry) + '\n');
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
    child: (extra) => createLogger({ ...context, ...extra }, level),
  };
}
