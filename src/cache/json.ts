// Both caches store JSON, so a value read back has the same shape from memory as from Redis.

/** The JSON text of `value`; a TypeError for what JSON cannot hold (undefined, functions, BigInt, cycles). */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError(`cache values must be JSON; got ${typeof value}`);
  return text;
}
