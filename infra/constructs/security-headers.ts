import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type ResponseCustomHeader,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';

export interface CloudFrontSecurityHeaders {
  securityHeadersBehavior: ResponseSecurityHeadersBehavior;
  /** Headers CloudFront has no security-header setting for; sent as custom headers. */
  customHeaders: ResponseCustomHeader[];
}

/**
 * Translates the headers the local server sends (`SECURITY_HEADERS`) into a CloudFront response
 * headers policy, so the CDN and `npm start` serve the same policy from one definition. Every
 * header overrides what an origin sends: the policy is the CDN's, whatever a handler or a stored
 * object carries. A value CloudFront cannot express fails the synth instead of being dropped.
 */
export function cloudFrontSecurityHeaders(headers: Readonly<Record<string, string>>): CloudFrontSecurityHeaders {
  const behavior: { -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K] } = {};
  const customHeaders: ResponseCustomHeader[] = [];
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    switch (name) {
      case 'content-security-policy':
        behavior.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security':
        behavior.strictTransportSecurity = { ...parseHsts(value), override: true };
        break;
      case 'x-content-type-options':
        if (value.toLowerCase() !== 'nosniff') throw new Error(`CloudFront can only send "x-content-type-options: nosniff", not "${value}"`);
        behavior.contentTypeOptions = { override: true };
        break;
      case 'referrer-policy':
        behavior.referrerPolicy = { referrerPolicy: enumValue(HeadersReferrerPolicy, value.toLowerCase(), name), override: true };
        break;
      case 'x-frame-options':
        behavior.frameOptions = { frameOption: enumValue(HeadersFrameOption, value.toUpperCase(), name), override: true };
        break;
      case 'x-xss-protection':
        throw new Error('x-xss-protection is not mapped: add it here before sending it locally');
      default:
        customHeaders.push({ header: rawName, value, override: true });
    }
  }
  return { securityHeadersBehavior: behavior, customHeaders };
}

function parseHsts(value: string): { accessControlMaxAge: Duration; includeSubdomains: boolean; preload: boolean } {
  const directives = value.split(';').map((part) => part.trim().toLowerCase()).filter(Boolean);
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  const known = directives.every((d) => /^max-age=\d+$/.test(d) || d === 'includesubdomains' || d === 'preload');
  if (maxAge === undefined || !known) throw new Error(`Cannot express "strict-transport-security: ${value}" in a CloudFront response headers policy`);
  return {
    accessControlMaxAge: Duration.seconds(Number(maxAge)),
    includeSubdomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
  };
}

function enumValue<T extends string>(values: Record<string, T>, wanted: string, header: string): T {
  const match = Object.values(values).find((v) => v === wanted);
  if (match === undefined) throw new Error(`CloudFront has no ${header} value "${wanted}"`);
  return match;
}
