// ../shared holds data every test may use; a user's clone does not have it. Tests that need it
// skip with this reason when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS_DIR = `${SHARED_DIR}corpus/emails/`;
export const FIXTURES_DIR = `${SHARED_DIR}fixtures/statements/`;
export const hasShared = existsSync(CORPUS_DIR) && existsSync(FIXTURES_DIR);
export const SHARED_MISSING_REASON =
  '../shared (the shared corpus and statement fixtures) is absent in this checkout; the project fixtures in test/fixtures cover the core behaviour';
