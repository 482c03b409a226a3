import type { ModuleSpec } from '../spec.js';
import { auroraGlobalDatabase } from './aurora-global-database.js';
import { containerRegistry } from './container-registry.js';
import { dashboard } from './dashboard.js';
import { databaseSecret } from './database-secret.js';
import { dynamodbGlobalTable } from './dynamodb-global-table.js';
import { encryptedLogGroup } from './encrypted-log-group.js';
import { encryptionKey } from './encryption-key.js';
import { fargateService } from './fargate-service.js';
import { latencyRouting } from './latency-routing.js';
import { loadBalancer } from './load-balancer.js';
import { regionalAlarms } from './regional-alarms.js';
import { regionalNetwork } from './regional-network.js';

/** Every generated module, in the order the README and the changelog list them. */
export const SPECS: readonly ModuleSpec[] = [
  regionalNetwork,
  dynamodbGlobalTable,
  auroraGlobalDatabase,
  databaseSecret,
  encryptionKey,
  fargateService,
  loadBalancer,
  latencyRouting,
  regionalAlarms,
  dashboard,
  containerRegistry,
  encryptedLogGroup,
];
