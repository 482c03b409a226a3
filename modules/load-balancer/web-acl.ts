import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../encrypted-log-group/index.js';

/** AWS managed rule groups, in evaluation order: known exploits first, then reputation, then OWASP-style checks. */
const MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
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
    const visibility = (metricName: string) => ({
      SampledRequestsEnabled: true,
      CloudWatchMetricsEnabled: true,
      MetricName: metricName,
    });
    const acl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: name },
      // The API's own JSON: rule statements nest too deeply for the generated types.
      ruleJson: JSON.stringify(MANAGED_RULE_GROUPS.map((group, priority) => ({
        Name: group,
        Priority: priority,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
        VisibilityConfig: visibility(`${name}-${group}`),
      }))),
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
