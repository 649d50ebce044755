import { describe, expect, it } from 'vitest';
import { synthTemplate } from './support/synth.js';
import type { CfnResource } from './support/template.js';

/**
 * CloudFront is global: a cache policy, response headers policy, origin access control or function
 * name is unique in the whole account, whichever region's stack created it. These tests deploy the
 * same stage twice on paper and look for a name both would claim.
 */
function cloudFrontNames(context: Record<string, string>): Map<string, string> {
  const { template } = synthTemplate(context);
  const names = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, CfnResource>)) {
    // The distribution (and its OAI-free origins) has no name of its own; everything else CloudFront makes does.
    if (!resource.Type.startsWith('AWS::CloudFront::') || resource.Type === 'AWS::CloudFront::Distribution') continue;
    names.set(`${resource.Type} ${id}`, JSON.stringify(nameOf(resource)));
  }
  return names;
}

/** `Name` at the top (functions, key value stores) or in the `…Config` block (policies, origin access controls). */
function nameOf(resource: CfnResource): unknown {
  if (resource.Properties.Name !== undefined) return resource.Properties.Name;
  const config = Object.entries(resource.Properties).find(([key]) => key.endsWith('Config'))?.[1] as { Name?: unknown } | undefined;
  if (config?.Name === undefined) throw new Error(`${resource.Type} has no name the test can find: teach nameOf where it is`);
  return config.Name;
}

describe('account-wide CloudFront names', () => {
  const eu = cloudFrontNames({ stage: 'prod', region: 'eu-west-1' });
  const us = cloudFrontNames({ stage: 'prod', region: 'us-east-1' });

  it('the stack makes named CloudFront resources: policies, origin access controls and the index-page function', () => {
    const types = new Set([...eu.keys()].map((key) => key.split(' ')[0]));
    expect(types).toEqual(
      new Set(['AWS::CloudFront::CachePolicy', 'AWS::CloudFront::ResponseHeadersPolicy', 'AWS::CloudFront::OriginAccessControl', 'AWS::CloudFront::Function']),
    );
  });

  it('the same stage in two regions of one account claims no name twice', () => {
    const euNames = new Set(eu.values());
    expect([...us.values()].filter((name) => euNames.has(name))).toEqual([]);
  });

  it('two stages in one region claim no name twice', () => {
    const staging = new Set(cloudFrontNames({ stage: 'staging', region: 'eu-west-1' }).values());
    expect([...eu.values()].filter((name) => staging.has(name))).toEqual([]);
  });

  it('one stack claims each name once, and every name says its stage and region', () => {
    expect(new Set(eu.values()).size).toBe(eu.size);
    for (const name of eu.values()) expect(name).toMatch(/^"pressline-prod-eu-west-1-[a-z-]+"$/);
  });

  it('an environment-agnostic stack takes the region CloudFormation deploys it in', () => {
    for (const name of cloudFrontNames({ stage: 'dev' }).values()) expect(name).toContain('{"Ref":"AWS::Region"}');
  });

  it('every name fits its type\'s limit at the longest stage and region (64 characters for functions and origin access controls, 128 for policies)', () => {
    const limits: Record<string, number> = { 'AWS::CloudFront::Function': 64, 'AWS::CloudFront::OriginAccessControl': 64 };
    for (const [key, name] of cloudFrontNames({ stage: 'a'.repeat(20), region: 'ap-southeast-5' })) {
      expect((JSON.parse(name) as string).length, key).toBeLessThanOrEqual(limits[key.split(' ')[0]!] ?? 128);
    }
  });
});
