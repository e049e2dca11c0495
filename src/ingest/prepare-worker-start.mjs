// Entry of the preparer's worker thread (preparer.ts). Node 20 does not hand the parent's
// TypeScript loader on to worker threads, so the worker registers tsx itself, as
// bin/statement-desk.js does, then serves prepare requests (prepare-worker.ts).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { servePreparer } = await import('./prepare-worker.ts');
const { prepareMessage } = await import('./prepare-message.ts');
servePreparer(parentPort, prepareMessage);
