/**
 * The `default` of every `switch` over a union: a new member left unhandled fails the type check
 * here, and a value from outside the types (bad stored data) fails loudly at run time.
 */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}`);
}
