// `npm run build`: compiles src/ to JavaScript in dist/ (tsconfig.build.json) and copies what
// the compiled code reads beside itself through import.meta.url: views (.eta), assets (.css,
// .js), the worker entry points (.mjs). The generated Prisma client is TypeScript under
// src/generated/ and is compiled with the rest. Run `npm run generate` first after a schema change.
//
// `--out-dir NAME` builds into another folder of the checkout instead (the scale benchmark runs the
// built command from `.bench-dist/` without touching a developer's `dist/`). It must sit directly
// in the checkout, as dist/ does: the compiled code finds prisma/ and examples/ at `..`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const outArg = process.argv.indexOf('--out-dir');
const outName = outArg === -1 ? 'dist' : process.argv[outArg + 1];
// Only a name that ends in "dist": the folder is deleted first, so a slip must not name src or .git.
if (!/^[.\w-]*dist$/.test(outName ?? '')) {
  console.error(`--out-dir takes the name of a folder directly in the checkout that ends in "dist" (such as .bench-dist), not "${outName ?? ''}".`);
  process.exit(2);
}
const dist = path.join(root, outName);

if (!existsSync(path.join(src, 'generated', 'prisma', 'client.ts'))) {
  console.error('The Prisma client is missing (src/generated/prisma). Run `npm run generate` first.');
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dist], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(src, dist, {
  recursive: true,
  filter: (file) => !file.endsWith('.ts'),
});
console.log(outName === 'dist' ? 'Built dist/ (start it with `npm start` or `statement-desk`).' : `Built ${outName}/.`);
