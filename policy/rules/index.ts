import type { PolicyRule } from '../rule.js';
import * as aurora from './aurora.js';
import * as dynamodb from './dynamodb.js';
import * as ecs from './ecs.js';
import * as encryption from './encryption.js';
import * as iam from './iam.js';
import * as loadBalancer from './load-balancer.js';
import * as network from './network.js';
import * as waf from './waf.js';

/** Every rule of the policy pack, in id order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  dynamodb.dynamoDbPointInTimeRecovery,
  dynamodb.dynamoDbCustomerManagedKey,
  dynamodb.dynamoDbDeletionProtection,
  aurora.auroraEncryptedWithCustomerKey,
  aurora.auroraGlobalClusterEncrypted,
  aurora.auroraDeletionProtection,
  aurora.auroraBackupRetention,
  aurora.auroraIamAuthentication,
  aurora.auroraLogExports,
  aurora.auroraCopyTagsToSnapshots,
  aurora.databaseNotPublic,
  aurora.auroraPerformanceInsights,
  aurora.auroraEnhancedMonitoring,
  aurora.auroraAutoMinorVersionUpgrade,
  encryption.secretEncrypted,
  encryption.kmsKeyRotation,
  encryption.logGroupEncrypted,
  encryption.logGroupRetention,
  encryption.snsTopicEncrypted,
  network.securityGroupDescriptions,
  network.noIngressFromAnywhere,
  network.noUnrestrictedEgress,
  network.defaultSecurityGroupClosed,
  network.vpcFlowLogs,
  loadBalancer.listenerHttpsOnly,
  loadBalancer.listenerTls12,
  loadBalancer.loadBalancerDropsInvalidHeaders,
  loadBalancer.loadBalancerAccessLogs,
  loadBalancer.loadBalancerDeletionProtection,
  loadBalancer.loadBalancerWaf,
  loadBalancer.targetGroupHealthCheck,
  waf.webAclBlocksKnownBadInputs,
  ecs.serviceWithoutPublicIp,
  ecs.containersReadOnlyRoot,
  ecs.distinctTaskAndExecutionRoles,
  ecs.noSecretsInEnvironment,
  ecs.clusterContainerInsights,
  iam.noAdminPolicies,
];
