import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../encrypted-log-group/index.js';

/** An AWS managed rule group, and the rules of it that only count matches instead of blocking. */
interface ManagedRuleGroup {
  readonly name: string;
  readonly countedRules?: readonly string[];
}

/**
 * AWS managed rule groups, in evaluation order: known exploits first, then reputation and
 * anonymizing sources, then OWASP-style checks. Together 975 of the web ACL's 1,500 default WCUs.
 */
const MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  { name: 'AWSManagedRulesKnownBadInputsRuleSet' },
  { name: 'AWSManagedRulesAmazonIpReputationList' },
  {
    name: 'AWSManagedRulesAnonymousIpList',
    // The orders API is legitimately called by servers running in cloud providers, which is
    // what HostingProviderIPList matches: it counts (visible in metrics and logs) instead of
    // blocking. Its AnonymousIPList rule (VPNs, proxies, Tor) still blocks.
    countedRules: ['HostingProviderIPList'],
  },
  { name: 'AWSManagedRulesCommonRuleSet' },
];

export interface LoadBalancerWebAclProps {
  readonly provider: AwsProvider;
  readonly name: string;
  readonly loadBalancerArn: string;
  /** Retention of the WAF log group, in days. */
  readonly logRetentionDays: number;
}

/** A regional WAF web ACL of AWS managed rule groups on the load balancer, logging to an encrypted log group. */
export class LoadBalancerWebAcl extends Construct {
  constructor(scope: Construct, id: string, props: LoadBalancerWebAclProps) {
    super(scope, id);
    const { provider, name } = props;
    const acl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: name },
      // Rule blocks rather than `ruleJson`, which scanners (checkov) do not read. `statement` is
      // typed `any` in the bindings, so it is written in Terraform's own snake_case.
      rule: MANAGED_RULE_GROUPS.map((group, priority) => ({
        name: group.name,
        priority,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: 'AWS',
            name: group.name,
            ...(group.countedRules && {
              rule_action_override: group.countedRules.map((rule) => ({ name: rule, action_to_use: { count: {} } })),
            }),
          },
        },
        visibilityConfig: {
          sampledRequestsEnabled: true,
          cloudwatchMetricsEnabled: true,
          metricName: `${name}-${group.name}`,
        },
      })),
    });
    new Wafv2WebAclAssociation(this, 'association', {
      provider,
      resourceArn: props.loadBalancerArn,
      webAclArn: acl.arn,
    });
    // WAF writes only to log groups whose name starts with aws-waf-logs-.
    const logGroup = new EncryptedLogGroup(this, 'logs', {
      provider,
      name: `aws-waf-logs-${name}`,
      keyAlias: `${name}/waf-logs`,
      purpose: `the WAF logs of ${name}`,
      retentionDays: props.logRetentionDays,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      provider,
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.logGroupArn],
      redactedFields: [{ singleHeader: { name: 'authorization' } }],
    });
  }
}
