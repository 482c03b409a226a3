import type { PolicyRule } from '../rule.js';
import { listenerHttpsOnly } from './MRAA-ALB-1.js';
import { listenerTls12 } from './MRAA-ALB-2.js';
import { loadBalancerDropsInvalidHeaders } from './MRAA-ALB-3.js';
import { loadBalancerAccessLogs } from './MRAA-ALB-4.js';
import { loadBalancerDeletionProtection } from './MRAA-ALB-5.js';
import { loadBalancerWaf } from './MRAA-ALB-6.js';
import { targetGroupHealthCheck } from './MRAA-ALB-7.js';
import { dynamoDbPointInTimeRecovery } from './MRAA-DDB-1.js';
import { dynamoDbCustomerManagedKey } from './MRAA-DDB-2.js';
import { dynamoDbDeletionProtection } from './MRAA-DDB-3.js';
import { serviceWithoutPublicIp } from './MRAA-ECS-1.js';
import { containersReadOnlyRoot } from './MRAA-ECS-2.js';
import { distinctTaskAndExecutionRoles } from './MRAA-ECS-3.js';
import { noSecretsInEnvironment } from './MRAA-ECS-4.js';
import { clusterContainerInsights } from './MRAA-ECS-5.js';
import { noAdminPolicies } from './MRAA-IAM-1.js';
import { kmsKeyRotation } from './MRAA-KMS-1.js';
import { logGroupEncrypted } from './MRAA-LOG-1.js';
import { logGroupRetention } from './MRAA-LOG-2.js';
import { securityGroupDescriptions } from './MRAA-NET-1.js';
import { noIngressFromAnywhere } from './MRAA-NET-2.js';
import { noUnrestrictedEgress } from './MRAA-NET-3.js';
import { defaultSecurityGroupClosed } from './MRAA-NET-4.js';
import { vpcFlowLogs } from './MRAA-NET-5.js';
import { auroraEncryptedWithCustomerKey } from './MRAA-RDS-1.js';
import { auroraEnhancedMonitoring } from './MRAA-RDS-10.js';
import { auroraAutoMinorVersionUpgrade } from './MRAA-RDS-11.js';
import { auroraGlobalClusterEncrypted } from './MRAA-RDS-2.js';
import { auroraDeletionProtection } from './MRAA-RDS-3.js';
import { auroraBackupRetention } from './MRAA-RDS-4.js';
import { auroraIamAuthentication } from './MRAA-RDS-5.js';
import { auroraLogExports } from './MRAA-RDS-6.js';
import { auroraCopyTagsToSnapshots } from './MRAA-RDS-7.js';
import { databaseNotPublic } from './MRAA-RDS-8.js';
import { auroraPerformanceInsights } from './MRAA-RDS-9.js';
import { secretEncrypted } from './MRAA-SM-1.js';
import { snsTopicEncrypted } from './MRAA-SNS-1.js';
import { webAclBlocksKnownBadInputs } from './MRAA-WAF-1.js';

/**
 * Every rule of the policy pack, one file per rule named by its id (`MRAA-LOG-2` is
 * `./MRAA-LOG-2.ts`). Grouped by area; a block's findings are reported in this order.
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  dynamoDbPointInTimeRecovery,
  dynamoDbCustomerManagedKey,
  dynamoDbDeletionProtection,
  auroraEncryptedWithCustomerKey,
  auroraGlobalClusterEncrypted,
  auroraDeletionProtection,
  auroraBackupRetention,
  auroraIamAuthentication,
  auroraLogExports,
  auroraCopyTagsToSnapshots,
  databaseNotPublic,
  auroraPerformanceInsights,
  auroraEnhancedMonitoring,
  auroraAutoMinorVersionUpgrade,
  secretEncrypted,
  kmsKeyRotation,
  logGroupEncrypted,
  logGroupRetention,
  snsTopicEncrypted,
  securityGroupDescriptions,
  noIngressFromAnywhere,
  noUnrestrictedEgress,
  defaultSecurityGroupClosed,
  vpcFlowLogs,
  listenerHttpsOnly,
  listenerTls12,
  loadBalancerDropsInvalidHeaders,
  loadBalancerAccessLogs,
  loadBalancerDeletionProtection,
  loadBalancerWaf,
  targetGroupHealthCheck,
  webAclBlocksKnownBadInputs,
  serviceWithoutPublicIp,
  containersReadOnlyRoot,
  distinctTaskAndExecutionRoles,
  noSecretsInEnvironment,
  clusterContainerInsights,
  noAdminPolicies,
];
