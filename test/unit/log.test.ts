import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../shared/log.js';

/** What the logger wrote to stdout and stderr, one parsed JSON entry per line. */
function captureLogs(): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  const capture = (chunk: string | Uint8Array) => {
    entries.push(JSON.parse(String(chunk)) as Record<string, unknown>);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return entries;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('takes its level from LOG_LEVEL when it names one', () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    const entries = captureLogs();
    const logger = createLogger();

    logger.info('skipped');
    logger.warn('kept');

    expect(entries.map((e) => e.message)).toEqual(['kept']);
  });

  it('logs at info when LOG_LEVEL names no level', () => {
    vi.stubEnv('LOG_LEVEL', 'verbose');
    const entries = captureLogs();
    const logger = createLogger();

    logger.debug('skipped');
    logger.info('kept');

    expect(entries.map((e) => e.message)).toEqual(['kept']);
  });

  it('keeps an error’s cause chain, each cause serialised as an error', () => {
    const entries = captureLogs();
    const root = new Error('throttled');
    const error = new Error('publish failed', { cause: new Error('put failed', { cause: root }) });

    createLogger({}, 'info').error('failed', { error });

    expect(entries[0]?.error).toMatchObject({
      name: 'Error',
      message: 'publish failed',
      cause: { name: 'Error', message: 'put failed', cause: { message: 'throttled', stack: expect.any(String) } },
    });
  });

  it('ends a cause chain that loops back on itself', () => {
    const entries = captureLogs();
    const error = new Error('loops');
    error.cause = error;

    createLogger({}, 'info').error('failed', { error });

    expect(entries[0]?.error).toMatchObject({ message: 'loops', cause: '[circular cause]' });
  });
});
