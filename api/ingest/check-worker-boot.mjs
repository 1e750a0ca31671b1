// Entry of the check thread. A worker thread starts as plain Node, without the TypeScript loader
// of the process that made it (tsx under `node --import tsx`, vite under vitest), so it registers
// tsx itself before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
