// Entry of the preparer's worker threads (preparer.ts gives this file to piscina, which imports
// it and calls its default export once per task). Built (`npm run build`), the compiled
// prepare-worker.js sits beside this file and loads as plain JavaScript. In development Node 20
// does not hand the parent's TypeScript loader on to worker threads, so the worker registers
// tsx itself, as bin/statement-desk.js does. The modules load before the worker takes a task.
import { existsSync } from 'node:fs';

const built = existsSync(new URL('./prepare-worker.js', import.meta.url));
if (!built) (await import('tsx/esm/api')).register();
const { preparerTask } = await import(built ? './prepare-worker.js' : './prepare-worker.ts');
const { prepareMessage } = await import(built ? './prepare-message.js' : './prepare-message.ts');

export default preparerTask(prepareMessage);
