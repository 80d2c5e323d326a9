import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EOL_FILE, eolData, parseEolData } from '../../src/eol/index.js';

const raw = JSON.parse(readFileSync(EOL_FILE, 'utf8')) as {
  products: Record<string, { releases: Array<Record<string, unknown>> } & Record<string, unknown>>;
  images: Record<string, string>;
} & Record<string, unknown>;

/** A deep copy of the shipped file with one change. */
function changed(edit: (data: typeof raw) => void): unknown {
  const copy = structuredClone(raw);
  edit(copy);
  return copy;
}

describe('shipped end-of-life data', () => {
  const data = eolData();

  it('loads, is dated, and covers the common images', () => {
    expect(data.updated).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect([...data.products.keys()].sort()).toEqual([
      'alpine',
      'debian',
      'go',
      'mariadb',
      'mysql',
      'node',
      'php',
      'postgres',
      'python',
      'redis',
      'ruby',
      'ubuntu',
    ]);
    expect([...data.images.keys()]).toEqual(
      expect.arrayContaining([
        'node',
        'python',
        'golang',
        'ruby',
        'php',
        'debian',
        'ubuntu',
        'alpine',
        'postgres',
      ]),
    );
  });

  it('gives every release a product, a release number and ISO dates, and every product its source', () => {
    for (const product of data.products.values()) {
      expect(product.source.length, product.name).toBeGreaterThan(40);
      for (const r of product.releases) {
        const at = `${product.name} ${r.release}`;
        expect(r.release, at).toMatch(/^\d+(\.\d+)*$/);
        expect(r.numbers.join('.'), at).toBe(r.release.split('.').map(Number).join('.'));
        for (const date of [r.released, r.lts, r.eol].filter((d) => typeof d === 'string')) {
          expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10), at).toBe(date);
        }
      }
    }
  });

  it('maps images to products that exist, and names the OS releases tags carry', () => {
    for (const [image, product] of Object.entries(raw.images))
      expect(Object.keys(raw.products), image).toContain(product);
    expect(data.images.get('golang')?.name).toBe('go');
    const codenames = (name: string) => data.products.get(name)!.releases.map((r) => r.codename);
    expect(codenames('debian')).toEqual(expect.arrayContaining(['buster', 'bullseye', 'bookworm', 'trixie']));
    expect(codenames('ubuntu')).toEqual(expect.arrayContaining(['bionic', 'focal', 'jammy', 'noble']));
    expect(codenames('node')).toEqual(
      expect.arrayContaining(['gallium', 'hydrogen', 'iron', 'jod', 'krypton']),
    );
    expect(
      [...data.products.values()]
        .filter((p) => p.os)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['alpine', 'debian', 'ubuntu']);
  });

  it('keeps the dates the project policies define', () => {
    const eol = (product: string, release: string) =>
      data.products.get(product)!.releases.find((r) => r.release === release)?.eol;
    expect(eol('node', '16')).toBe('2023-09-11');
    expect(eol('python', '3.8')).toBe('2024-10-07');
    expect(eol('debian', '10')).toBe('2024-06-30');
    expect(eol('ubuntu', '18.04')).toBe('2023-05-31');
    expect(eol('alpine', '3.16')).toBe('2024-05-23');
    // Go: 1.N ends the day 1.N+2 comes out.
    const go = data.products.get('go')!.releases;
    go.slice(0, -2).forEach((r, i) => expect(r.eol, r.release).toBe(go[i + 2]!.released));
  });
});

describe('parseEolData', () => {
  it('accepts the shipped file as it is', () => {
    expect(() => parseEolData(raw)).not.toThrow();
  });

  it.each([
    [
      'a date that is not a day',
      (d: typeof raw) => (d.products.node!.releases[0]!.eol = '2023-02-30'),
      /node\.releases\.0\.eol/,
    ],
    [
      'a missing release',
      (d: typeof raw) => delete d.products.node!.releases[0]!.release,
      /node\.releases\.0\.release/,
    ],
    [
      'an unknown field',
      (d: typeof raw) => (d.products.node!.releases[0]!.end = '2020-01-01'),
      /node\.releases\.0/,
    ],
    ['a missing source', (d: typeof raw) => delete d.products.python!.source, /python\.source/],
    ['an image of no product', (d: typeof raw) => (d.images.deno = 'deno'), /images\.deno: no product deno/],
    ['releases out of order', (d: typeof raw) => d.products.ruby!.releases.reverse(), /release order/],
    [
      'a release listed twice',
      (d: typeof raw) => d.products.php!.releases.push({ ...d.products.php!.releases[0]! }),
      /listed twice/,
    ],
    [
      'an end before the release',
      (d: typeof raw) => (d.products.alpine!.releases[0]!.eol = '2019-01-01'),
      /eol must come after released/,
    ],
    [
      'a codename used twice',
      (d: typeof raw) => (d.products.ubuntu!.releases[0]!.codename = 'buster'),
      /codename buster is already debian 10/,
    ],
    [
      'a future release not marked approximate',
      (d: typeof raw) => d.products.node!.releases.push({ release: '99', released: '2099-01-01', eol: null }),
      /after the data's date/,
    ],
  ])('rejects %s', (_what, edit, message) => {
    expect(() => parseEolData(changed(edit))).toThrow(message);
  });
});
