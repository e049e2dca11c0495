// `npm run bench`: runs every benchmark case in bench/*.ts, in file-name order.
// Convention: a case is a file directly in bench/ whose default export is
// `async function run(): Promise<void>` that prints its own figures (and sets
// process.exitCode = 1 when it misses its target). Helpers live in bench/support/.
// `npm run bench -- ingest` runs only the cases whose file name contains "ingest".
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

const filters = process.argv.slice(2);
const cases = (await readdir(BENCH_DIR, { withFileTypes: true }))
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.name !== 'run.ts')
  .map((entry) => entry.name)
  .filter((name) => !filters.length || filters.some((filter) => name.includes(filter)))
  .sort();

if (!cases.length) {
  console.error(`bench: no case matches ${filters.join(', ')}; the cases are the .ts files in ${BENCH_DIR}`);
  process.exitCode = 2;
}
for (const name of cases) {
  console.log(`\n== ${name.replace(/\.ts$/, '')} ==`);
  const module = (await import(pathToFileURL(path.join(BENCH_DIR, name)).href)) as { default?: () => Promise<void> };
  if (typeof module.default !== 'function') {
    console.error(`bench: ${name} has no default-exported run() function; skipped`);
    process.exitCode = 2;
    continue;
  }
  const started = performance.now();
  await module.default();
  console.log(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
