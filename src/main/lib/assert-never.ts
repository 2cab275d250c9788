/** Exhaustiveness check for discriminated unions: the compiler refuses a `switch` that misses a case. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
