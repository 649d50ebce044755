import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** The parts of a CloudFormation resource the tests read. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CacheBehavior {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods?: string[];
  CachePolicyId?: unknown;
  OriginRequestPolicyId?: unknown;
  ResponseHeadersPolicyId?: unknown;
  ViewerProtocolPolicy: string;
  Compress?: boolean;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}

export interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
}

export interface DistributionConfig {
  DefaultCacheBehavior: CacheBehavior;
  CacheBehaviors?: CacheBehavior[];
  Origins: Origin[];
  OriginGroups?: {
    Items: { Id: string; FailoverCriteria: { StatusCodes: { Items: number[] } }; Members: { Items: { OriginId: string }[] } }[];
  };
  HttpVersion?: string;
  IPV6Enabled?: boolean;
  Logging?: { Bucket: unknown; Prefix?: string };
  Aliases?: string[];
  ViewerCertificate?: { AcmCertificateArn?: string; MinimumProtocolVersion?: string; SslSupportMethod?: string };
  WebACLId?: unknown;
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the IAM policies attached to a role (by its logical id). */
export function roleStatements(template: Template, roleId: string): PolicyStatementJson[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
}

/** A role's grants as sorted `action resource` lines: the same whichever way the statements are grouped. */
export function grantsOf(statements: readonly PolicyStatementJson[]): string[] {
  return statements
    .flatMap((s) => [s.Action].flat().flatMap((action) => [s.Resource].flat().map((resource) => `${s.Effect} ${action} ${JSON.stringify(resource)}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''}`)))
    .sort();
}

export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export function onlyResourceOf(template: Template, type: string): [string, CfnResource] {
  const entries = Object.entries(resourcesOf(template, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return entries[0]!;
}

export function distributionConfig(template: Template): DistributionConfig {
  return onlyResourceOf(template, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig as DistributionConfig;
}

/** The logical id CloudFormation will know a construct's resource by. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(element)) as string;
}

/** `{ Ref: id }` and `{ Fn::GetAtt: [id, …] }` anywhere in a value: the resources it depends on. */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') into.add(inner[0]);
      else referencedIds(inner, into);
    }
  }
  return into;
}
