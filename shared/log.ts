/** Structured JSON logs: a fixed message plus data, so they can be queried in CloudWatch Logs Insights. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const isLevel = (value: unknown): value is Level => typeof value === 'string' && Object.hasOwn(ORDER, value);

/** `LOG_LEVEL` when it names a level; unset or anything else (a typo) logs at info. */
function levelFromEnvironment(): Level {
  const value = process.env.LOG_LEVEL;
  return isLevel(value) ? value : 'info';
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
}

/** An Error as plain fields (JSON drops its own), with its `cause` chain; a cycle in the chain ends where it repeats. */
function serialiseError(value: unknown, seen: ReadonlySet<Error> = new Set()): unknown {
  if (!(value instanceof Error)) return value;
  if (seen.has(value)) return '[circular cause]';
  const fields: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
  if (value.cause !== undefined) fields.cause = serialiseError(value.cause, new Set([...seen, value]));
  return fields;
}

export function createLogger(context: Record<string, unknown> = {}, level: Level = levelFromEnvironment()): Logger {
  const threshold = ORDER[level];
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
