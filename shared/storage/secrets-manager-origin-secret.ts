import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;

/**
 * The origin secret's current value and, while a rotation is under way, its previous one: CloudFront
 * sends the value it was last deployed with, which is the previous one until `cdk deploy` runs.
 * Loaded only through shared/http/origin-secret.ts's dynamic import; named imports keep just the
 * client and the one command in the bundle.
 */
export async function fetchOriginSecretValues(secretArn: string, secrets: SecretsManagerClient = (client ??= new SecretsManagerClient({ maxAttempts: 3 }))): Promise<string[]> {
  const stage = async (versionStage: 'AWSCURRENT' | 'AWSPREVIOUS') => {
    try {
      return (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: versionStage }))).SecretString;
    } catch (error) {
      // A secret never rotated has no previous version.
      if (versionStage === 'AWSPREVIOUS' && (error instanceof ResourceNotFoundException || (error as { name?: string }).name === 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
  const values = await Promise.all([stage('AWSCURRENT'), stage('AWSPREVIOUS')]);
  return values.filter((value): value is string => Boolean(value));
}
