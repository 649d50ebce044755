import { randomInt } from 'node:crypto';

/** No 0/o, 1/l/i: a code read aloud or off a printed page is typed right the first time. */
export const SHORT_CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
export const SHORT_CODE_LENGTH = 7;
const SHORT_CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{5,8}$`);

/** A random code from a CSPRNG, so codes cannot be enumerated in sequence (31^7 ≈ 2.7e10 codes). */
export function newShortCode(length = SHORT_CODE_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return code;
}

export function isShortCode(value: string): boolean {
  return SHORT_CODE.test(value);
}
