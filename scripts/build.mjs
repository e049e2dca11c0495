// `npm run build`: compiles src/ to JavaScript in dist/ (tsconfig.build.json) and copies what
// the compiled code reads beside itself through import.meta.url: views (.eta), assets (.css,
// .js), the worker entry points (.mjs). The generated Prisma client is TypeScript under
// src/generated/ and is compiled with the rest. Run `npm run generate` first after a schema change.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

if (!existsSync(path.join(src, 'generated', 'prisma', 'client.ts'))) {
  console.error('The Prisma client is missing (src/generated/prisma). Run `npm run generate` first.');
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(src, dist, {
  recursive: true,
  filter: (file) => !file.endsWith('.ts'),
});
console.log('Built dist/ (start it with `npm start` or `statement-desk`).');
