// Runs `prisma generate` on install. The Prisma CLI insists on a schema-engine binary even for
// `generate`, and cannot download one on our machines; generate does not use it, so any existing
// file satisfies the check (see DESIGN.md, "Known facts about our machines").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

// On install (`--if-installed`): a production install (`npm ci --omit=dev`) has no Prisma CLI
// and needs none, since `npm run build` compiled the generated client into dist/.
if (process.argv.includes('--if-installed')) {
  try {
    createRequire(import.meta.url).resolve('prisma/package.json');
  } catch {
    console.log('Prisma CLI not installed (production install): the client built into dist/ is used.');
    process.exit(0);
  }
}

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
