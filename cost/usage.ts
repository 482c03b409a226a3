import type { DeploymentConfig } from '../config/index.js';

/** The usage assumptions of an environment (`usage` in its file; defaults in config/schema.ts). */
export type Usage = DeploymentConfig['usage'];
