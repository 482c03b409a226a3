export type { Problem } from './check.js';
export * from './load.js';
export * from './regions.js';
export * from './schema.js';
export * from './validate.js';
