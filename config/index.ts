export * from './defaults.js';
export * from './load.js';
export * from './regions.js';
export type { Problem } from './shape.js';
export * from './types.js';
export * from './validate.js';
