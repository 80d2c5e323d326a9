// Narrowing parsed TOML values without casts at every use.
export type Table = Record<string, unknown>;

export function asTable(value: unknown): Table | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
    ? (value as Table)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The table at a path of keys, if every step is a table. */
export function tableAt(root: unknown, ...path: string[]): Table | undefined {
  let at = asTable(root);
  for (const key of path) at = asTable(at?.[key]);
  return at;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
