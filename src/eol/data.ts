// The end-of-life data shipped in config/eol.json: its shape, its checks, and one typed load per process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Shipped beside dist/ and src/ alike, so both the CLI and the tests find it. */
export const EOL_FILE = fileURLToPath(new URL('../../config/eol.json', import.meta.url));

const isoDate = z.iso.date();

const releaseSchema = z.strictObject({
  /** `16`, `3.12`, `18.04`: the leading release numbers of the tags that belong to this line. */
  release: z.string().regex(/^\d+(\.\d+)*$/),
  /** Tags may carry a release's name instead of its number (`bookworm`, `jammy-20240227`, node's `iron`). */
  codename: z
    .string()
    .regex(/^[a-z]+$/)
    .optional(),
  released: isoDate,
  /** The day the line became long-term support; lines with it are preferred as successors. */
  lts: isoDate.optional(),
  /** First day without fixes from the project; null while supported with no end announced. */
  eol: isoDate.nullable(),
  /** Planned, month-only or unchecked dates: messages say "about". */
  approximate: z.literal(true).optional(),
});

const productSchema = z.strictObject({
  /** Where the dates come from: the project's own release or support policy. */
  source: z.string().min(20),
  /** An operating system: other official images name its releases in their tags (`-bookworm`, `-alpine3.19`). */
  os: z.literal(true).optional(),
  releases: z.array(releaseSchema).min(1),
});

const fileSchema = z.strictObject({
  updated: isoDate,
  about: z.string(),
  products: z.record(z.string().regex(/^[a-z]+$/), productSchema),
  /** Docker official image name (`golang`) → the product its version numbers are releases of (`go`). */
  images: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), z.string()),
});

export interface EolRelease {
  release: string;
  /** `release` as numbers, compared with a tag's release numbers. */
  numbers: number[];
  codename?: string;
  released: string;
  lts?: string;
  eol: string | null;
  approximate: boolean;
}

export interface EolProduct {
  name: string;
  source: string;
  os: boolean;
  /** In release order. */
  releases: EolRelease[];
}

export interface EolData {
  updated: string;
  products: ReadonlyMap<string, EolProduct>;
  /** Official image name → product. */
  images: ReadonlyMap<string, EolProduct>;
}

/** Validates parsed JSON; throws an Error naming every problem (`products.node.releases.3.eol: …`). */
export function parseEolData(json: unknown, file = 'config/eol.json'): EolData {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `${file}: ${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
  }
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) throw new Error(problems.map((p) => `${file}: ${p}`).join('\n'));

  const products = new Map<string, EolProduct>();
  for (const [name, product] of Object.entries(parsed.data.products)) {
    products.set(name, {
      name,
      source: product.source,
      os: product.os === true,
      releases: product.releases.map((r) => ({
        release: r.release,
        numbers: r.release.split('.').map(Number),
        ...(r.codename !== undefined ? { codename: r.codename } : {}),
        released: r.released,
        ...(r.lts !== undefined ? { lts: r.lts } : {}),
        eol: r.eol,
        approximate: r.approximate === true,
      })),
    });
  }
  const images = new Map<string, EolProduct>();
  for (const [image, product] of Object.entries(parsed.data.images))
    images.set(image, products.get(product)!);
  return { updated: parsed.data.updated, products, images };
}

type EolFile = z.infer<typeof fileSchema>;

/** What the schema cannot say: order, uniqueness, dates that follow each other, names that resolve. */
function consistencyProblems(data: EolFile): string[] {
  const problems: string[] = [];
  const codenames = new Map<string, string>();
  for (const [name, product] of Object.entries(data.products)) {
    const seen = new Set<string>();
    product.releases.forEach((r, i) => {
      const at = `products.${name}.releases.${i} (${r.release})`;
      const key = r.release.split('.').map(Number).join('.');
      if (seen.has(key)) problems.push(`${at}: release listed twice`);
      seen.add(key);
      const previous = product.releases[i - 1];
      if (previous && previous.released > r.released)
        problems.push(`${at}: releases must be in release order`);
      if (r.eol !== null && r.eol <= r.released) problems.push(`${at}: eol must come after released`);
      if (r.lts !== undefined && (r.lts < r.released || (r.eol !== null && r.lts >= r.eol)))
        problems.push(`${at}: lts must fall between released and eol`);
      if (r.codename !== undefined) {
        const owner = codenames.get(r.codename);
        if (owner) problems.push(`${at}: codename ${r.codename} is already ${owner}`);
        codenames.set(r.codename, `${name} ${r.release}`);
      }
      if (r.released > data.updated && r.approximate !== true)
        problems.push(`${at}: a release after the data's date must be marked approximate`);
    });
  }
  for (const [image, product] of Object.entries(data.images)) {
    if (!Object.hasOwn(data.products, product)) problems.push(`images.${image}: no product ${product}`);
  }
  return problems;
}

let loaded: EolData | undefined;

/** The shipped data, read and checked on first use. */
export function eolData(): EolData {
  loaded ??= parseEolData(JSON.parse(readFileSync(EOL_FILE, 'utf8')) as unknown);
  return loaded;
}
