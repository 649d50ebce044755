import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN, ORIGIN_SECRET_ENV, ORIGIN_SECRET_HEADER, ORIGIN_SECRET_REFETCH_MS, originGuard, originSecretValues } from '../../shared/http/origin-secret.js';
import type { HttpEvent } from '../../shared/http/responses.js';
import { createLogger } from '../../shared/log.js';
import { fetchOriginSecretValues } from '../../shared/storage/secrets-manager-origin-secret.js';

const quiet = createLogger({}, 'error');
const request = (value?: string): HttpEvent =>
  ({ rawPath: '/api/articles', headers: value === undefined ? {} : { [ORIGIN_SECRET_HEADER]: value }, requestContext: { requestId: 'r', http: { sourceIp: '192.0.2.1' } } }) as unknown as HttpEvent;

/** A secret as Secrets Manager keeps it: versions staged current and previous; `rotate` is put-secret-value. */
function secretStore(first: string) {
  let current = first;
  let previous: string | undefined;
  let fetches = 0;
  return {
    values: async () => {
      fetches++;
      return previous ? [current, previous] : [current];
    },
    rotate(next: string) {
      previous = current;
      current = next;
    },
    fetches: () => fetches,
  };
}

/** A clock the test moves by hand: the refetch interval is a rule about elapsed time, not a timing assertion. */
function clock() {
  let at = 1_000_000;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('originGuard', () => {
  it('lets through exactly the current value, and refuses a missing, empty, longer or shorter one', async () => {
    const guard = originGuard(secretStore('s3cr3t').values, quiet);
    expect(await guard.refuse(request('s3cr3t'))).toBeUndefined();
    for (const wrong of [undefined, '', 's3cr3', 's3cr3tt', 'S3CR3T', ' s3cr3t']) expect(await guard.refuse(request(wrong)), String(wrong)).toEqual(FORBIDDEN);
  });

  it('during a rotation accepts the previous value and the new one, without refusing a request in between', async () => {
    const secret = secretStore('old');
    const time = clock();
    const guard = originGuard(secret.values, quiet, { now: time.now });
    expect(await guard.refuse(request('old'))).toBeUndefined();

    // put-secret-value: the new version is current, the old one previous. CloudFront still sends the old one.
    secret.rotate('new');
    time.advance(ORIGIN_SECRET_REFETCH_MS);
    expect(await guard.refuse(request('old'))).toBeUndefined();
    // cdk deploy: CloudFront's edges switch to the new value one by one; both arrive for a while.
    expect(await guard.refuse(request('new'))).toBeUndefined();
    expect(await guard.refuse(request('old'))).toBeUndefined();

    // A function started after the rotation accepts both from its first request.
    const fresh = originGuard(secret.values, quiet);
    expect(await fresh.refuse(request('old'))).toBeUndefined();
    expect(await fresh.refuse(request('new'))).toBeUndefined();

    // The next rotation retires the oldest value.
    secret.rotate('newer');
    time.advance(ORIGIN_SECRET_REFETCH_MS);
    expect(await guard.refuse(request('newer'))).toBeUndefined();
    expect(await guard.refuse(request('old'))).toEqual(FORBIDDEN);
  });

  it('fetches once per cold start, then again only for a mismatch, at most once a minute, whatever a flood of forged headers does', async () => {
    const secret = secretStore('s3cr3t');
    const time = clock();
    const guard = originGuard(secret.values, quiet, { now: time.now });
    for (let i = 0; i < 50; i++) await guard.refuse(request('s3cr3t'));
    expect(secret.fetches()).toBe(1);
    for (let i = 0; i < 50; i++) expect(await guard.refuse(request(`forged-${i}`))).toEqual(FORBIDDEN);
    expect(secret.fetches()).toBe(1);
    time.advance(ORIGIN_SECRET_REFETCH_MS);
    for (let i = 0; i < 50; i++) await guard.refuse(request(`forged-${i}`));
    expect(secret.fetches()).toBe(2);
    // No header at all never fetches: nothing could match.
    time.advance(ORIGIN_SECRET_REFETCH_MS);
    await guard.refuse(request());
    expect(secret.fetches()).toBe(2);
  });

  it('many requests arriving at a cold start share one fetch', async () => {
    const secret = secretStore('s3cr3t');
    const guard = originGuard(secret.values, quiet);
    const answers = await Promise.all(Array.from({ length: 20 }, () => guard.refuse(request('s3cr3t'))));
    expect(answers.every((answer) => answer === undefined)).toBe(true);
    expect(secret.fetches()).toBe(1);
  });

  it('a secret that cannot be read fails the request (the handler answers 5xx and logs it), and the next request tries again', async () => {
    let failing = true;
    const guard = originGuard(async () => {
      if (failing) throw new Error('AccessDeniedException');
      return ['s3cr3t'];
    }, quiet);
    await expect(guard.refuse(request('s3cr3t'))).rejects.toThrow('AccessDeniedException');
    failing = false;
    expect(await guard.refuse(request('s3cr3t'))).toBeUndefined();
  });
});

describe('originSecretValues: where the expected values come from', () => {
  it('locally, the value the runtime set, and a previous one while a rotation is rehearsed', async () => {
    expect(await originSecretValues({ [ORIGIN_SECRET_ENV.value]: 'a' })()).toEqual(['a']);
    expect(await originSecretValues({ [ORIGIN_SECRET_ENV.value]: 'b', [ORIGIN_SECRET_ENV.previousValue]: 'a' })()).toEqual(['b', 'a']);
  });

  it('neither the secret nor a value: the handler fails at load, naming both variables, rather than letting anyone in', () => {
    expect(() => originSecretValues({})).toThrow(new RegExp(`${ORIGIN_SECRET_ENV.secretArn}.*${ORIGIN_SECRET_ENV.value}`));
  });
});

/**
 * The calls the deployed functions make to Secrets Manager, observed through SDK middleware that
 * answers in the service's place: there is no Secrets Manager emulator here. What only AWS can show:
 * that the role's GetSecretValue grant suffices (the template test checks it is there) and that the
 * AWS managed key decrypts for it.
 */
describe('fetchOriginSecretValues', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OriginSecret-AbCdEf';

  function observedClient(answer: (stage: string) => string | Error) {
    const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const inputs: Record<string, unknown>[] = [];
    client.middlewareStack.add(
      () => async (args: { input: unknown }) => {
        const input = args.input as { VersionStage: string };
        inputs.push(input as Record<string, unknown>);
        const result = answer(input.VersionStage);
        if (result instanceof Error) throw result;
        return { output: { SecretString: result, $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'observeSecretsManager' },
    );
    return { client, inputs };
  }

  it('asks for the current and the previous version of the one secret, and returns both', async () => {
    const { client, inputs } = observedClient((stage) => (stage === 'AWSCURRENT' ? 'new' : 'old'));
    expect(await fetchOriginSecretValues(arn, client)).toEqual(['new', 'old']);
    expect(inputs).toEqual(expect.arrayContaining([{ SecretId: arn, VersionStage: 'AWSCURRENT' }, { SecretId: arn, VersionStage: 'AWSPREVIOUS' }]));
    expect(inputs).toHaveLength(2);
  });

  it('a secret never rotated has no previous version: the current one alone', async () => {
    const { client } = observedClient((stage) => (stage === 'AWSCURRENT' ? 'only' : new ResourceNotFoundException({ message: 'no AWSPREVIOUS', $metadata: {} })));
    expect(await fetchOriginSecretValues(arn, client)).toEqual(['only']);
  });

  it('any other failure (no permission, the current version missing) is thrown, never read as "no secret"', async () => {
    const denied = Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' });
    await expect(fetchOriginSecretValues(arn, observedClient(() => denied).client)).rejects.toThrow('GetSecretValue');
    const missing = observedClient((stage) => (stage === 'AWSCURRENT' ? new ResourceNotFoundException({ message: 'gone', $metadata: {} }) : 'old'));
    await expect(fetchOriginSecretValues(arn, missing.client)).rejects.toThrow('gone');
  });
});
