#!/usr/bin/env node
// Installed command. Runs the built JavaScript (dist/, from `npm run build`) when it is there;
// otherwise, in a development checkout, the TypeScript sources through tsx (a dev dependency:
// Node 20 cannot strip types itself). After changing src/, build again for this to see it.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('statement-desk is not built: run `npm run build` (or `npm ci` with dev dependencies to run the sources).\n');
    process.exit(1);
  }
  register();
  await import('../src/cli.ts');
}
