// Entry of the preparer's worker thread (preparer.ts). Built (`npm run build`), the compiled
// prepare-worker.js sits beside this file and loads as plain JavaScript. In development Node 20
// does not hand the parent's TypeScript loader on to worker threads, so the worker registers
// tsx itself, as bin/statement-desk.js does, then serves prepare requests (prepare-worker.ts).
import { existsSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const built = existsSync(new URL('./prepare-worker.js', import.meta.url));
if (!built) (await import('tsx/esm/api')).register();
const { servePreparer } = await import(built ? './prepare-worker.js' : './prepare-worker.ts');
const { prepareMessage } = await import(built ? './prepare-message.js' : './prepare-message.ts');
servePreparer(parentPort, prepareMessage);
