// From the TypeScript sources (development, tests), db/pglite-thread.ts starts this file: a worker
// thread does not inherit the tsx loader of the thread that starts it, so it loads the worker's
// module through tsx's API. The production build runs the bundled dist/server/pglite-worker.js.
import { tsImport } from 'tsx/esm/api';

await tsImport('./pglite-worker.ts', import.meta.url);
