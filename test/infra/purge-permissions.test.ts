import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../infra/functions-catalog.js';
import { BUCKET_DEFINITIONS } from '../../infra/storage-definitions.js';
import { synthTemplate } from './support/synth.js';
import { logicalIdOf, resourcesOf, roleStatements, type PolicyStatementJson } from './support/template.js';

/**
 * A legal takedown's purge deletes object versions for good, so that permission is the API's alone
 * and covers one photo's keys at a time: `media/<media id>/…` and `uploads/<media id>`, a media id
 * being a UUID (36 characters), never a whole prefix or another bucket.
 */
const { stack, template } = synthTemplate();
const media = logicalIdOf(stack.storage.mediaBucket);
const oneMediaId = '????????-????-????-????-????????????';
const versionActions = ['s3:ListBucketVersions', 's3:DeleteObjectVersion'];
const touchesVersions = (s: PolicyStatementJson) => [s.Action].flat().some((action) => versionActions.includes(action) || action === 's3:*' || action === 's3:Delete*');

describe('the purge permission', () => {
  const statements = roleStatements(template, logicalIdOf(stack.functions.api.role)).filter(touchesVersions);

  it('lets the API list versions only with one photo\'s prefix', () => {
    expect(statements.filter((s) => s.Action === 's3:ListBucketVersions')).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:ListBucketVersions',
        Resource: { 'Fn::GetAtt': [media, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': [`media/${oneMediaId}/`, `uploads/${oneMediaId}`] } },
      },
    ]);
  });

  it('lets the API delete versions only of one photo\'s renditions and original, in the media bucket', () => {
    expect(statements.filter((s) => s.Action === 's3:DeleteObjectVersion')).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:DeleteObjectVersion',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [media, 'Arn'] }, `/media/${oneMediaId}/*`]] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [media, 'Arn'] }, `/uploads/${oneMediaId}`]] },
        ],
      },
    ]);
    expect(statements).toHaveLength(2);
  });

  it('no other function may list or delete versions', () => {
    for (const name of (Object.keys(FUNCTIONS) as FunctionName[]).filter((n) => n !== 'api')) {
      expect(roleStatements(template, logicalIdOf(stack.functions[name].role)).filter(touchesVersions), name).toEqual([]);
    }
    const anywhere = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) => versionActions.some((a) => JSON.stringify(p.Properties.PolicyDocument).includes(a)));
    expect(anywhere).toHaveLength(1);
  });

  it('the site bucket keeps no versions, so deleting a page is already final and needs no version permission', () => {
    expect(BUCKET_DEFINITIONS.site.versioned).toBe(false);
    const site = resourcesOf(template, 'AWS::S3::Bucket')[logicalIdOf(stack.storage.siteBucket)]!;
    expect((site.Properties.VersioningConfiguration as { Status?: string } | undefined)?.Status).not.toBe('Enabled');
    const mediaBucket = resourcesOf(template, 'AWS::S3::Bucket')[media]!;
    expect(mediaBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });
});
