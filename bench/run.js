// `npm run bench [name…]`: runs the named benchmarks (all by default) against the compiled dist/.
const all = [
  'scan',
  'memory',
  'registry',
  'crawl',
  'redis-topology',
  'stages',
  'deps',
  'relock',
  'reports',
  'dashboard',
];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`# bench/${name}`);
  await import(`./${name}.js`);
}
