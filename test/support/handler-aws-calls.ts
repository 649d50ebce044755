import { observeNewClients, type AwsClient } from '../../shared/storage/clients.js';

/** One SDK call of a Lambda handler, with what IAM authorizes it against. */
export interface HandlerAwsCall {
  /** The handler file that created the client, e.g. `functions/api.ts`. */
  handler: string;
  service: 'DynamoDB' | 'S3';
  /** The API operation, e.g. `PutItem`, `HeadObject`. */
  operation: string;
  /** The request's input (TableName, IndexName, RequestItems, Bucket, Key, …). */
  input: Record<string, unknown>;
}

export interface HandlerAwsCallRecorder {
  calls(): HandlerAwsCall[];
  /** Makes the next call that `matches` fail before it is sent (it is still recorded), as a call refused or timed out would. */
  failNext(matches: (call: HandlerAwsCall) => boolean): void;
  /**
   * Answers calls in the service's place while `respond` returns an output for them (they are still
   * recorded): for what an emulator cannot do, such as listing object versions, which s3rver does
   * not keep. `undefined` stops answering. Only AWS shows the real answer; a test says so.
   */
  answer(respond: ((call: HandlerAwsCall) => Record<string, unknown> | undefined) | undefined): void;
  /** Stops instrumenting clients created afterwards; clients already instrumented keep recording. */
  stop(): void;
}

/** The handler module (functions/*.ts) on the stack when a client is created: the Lambda function that owns it. */
function creatingHandler(): string | undefined {
  const match = /[/\\](functions[/\\][\w-]+)\.[cm]?[jt]s\b/.exec(new Error().stack ?? '');
  return match ? `${match[1]!.replace(/\\/g, '/')}.ts` : undefined;
}

/**
 * Records every AWS call made by clients a Lambda handler module creates from now on (its
 * module-level clients, as on AWS), labelled with that handler, through SDK middleware on
 * `shared/storage/clients.ts`'s clients, as `aws-call-counter.ts` counts them. Clients the local
 * runtime makes for itself (provisioning, keys) are not a handler's and are left alone.
 */
export function recordHandlerAwsCalls(): HandlerAwsCallRecorder {
  const recorded: HandlerAwsCall[] = [];
  let failing: ((call: HandlerAwsCall) => boolean) | undefined;
  let responder: ((call: HandlerAwsCall) => Record<string, unknown> | undefined) | undefined;
  const stop = observeNewClients((client: AwsClient) => {
    const handler = creatingHandler();
    if (!handler) return;
    const service = client.constructor.name === 'DynamoDBClient' ? 'DynamoDB' : 'S3';
    (client.middlewareStack as { add: (middleware: unknown, options: unknown) => void }).add(
      (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: { input: unknown }) => {
          // Recorded whether or not it succeeds: a refused call was still attempted with these rights.
          const call: HandlerAwsCall = {
            handler,
            service,
            operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
            input: typeof args.input === 'object' && args.input !== null ? (args.input as Record<string, unknown>) : {},
          };
          recorded.push(call);
          if (failing?.(call)) {
            failing = undefined;
            throw new Error(`injected failure of ${service}.${call.operation}`);
          }
          const answered = responder?.(call);
          if (answered) return { output: { ...answered, $metadata: {} }, response: {} };
          return next(args);
        },
      { step: 'initialize', name: 'presslineHandlerCallRecorder' },
    );
  });
  return {
    calls: () => [...recorded],
    failNext: (matches) => {
      failing = matches;
    },
    answer: (respond) => {
      responder = respond;
    },
    stop,
  };
}
