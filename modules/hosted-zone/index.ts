import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Construct } from 'constructs';
import { matching, PropChecks } from '../validation.js';

const ZONE_NAME = matching(
  /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  'a lowercase DNS name with two or more labels',
  (name) => `"${name}" is not a lowercase DNS name with two or more labels`,
);

export interface HostedZoneProps {
  /** Any region's provider: Route 53 is global. */
  readonly provider: AwsProvider;
  /** The zone's name, such as `api.example.com` or `example.com`. */
  readonly name: string;
  /**
   * Create the public zone (true), or look up an existing public zone of that name (false).
   * A created zone answers only once its name servers are delegated from the parent zone.
   */
  readonly create: boolean;
}

/** A public Route 53 hosted zone: created here, or an existing one looked up by name. */
export class HostedZone extends Construct {
  readonly zoneId: string;
  /** The zone's name servers, to delegate from the parent zone; empty for a looked-up zone. */
  readonly nameServers: string[];

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    const { provider, name } = props;
    const checks = new PropChecks(this, `HostedZone ${this.node.path}`)
      .check('name', name, ZONE_NAME)
      .known('create', props.create, 'it decides between creating the zone and looking it up')
      .throwIfAny();
    if (props.create) {
      const zone = new Route53Zone(this, 'zone', {
        provider,
        name,
        comment: `Public zone of ${name}, managed by cdktf`,
        // Destroy refuses while records remain, so a stray destroy cannot take the domain down.
        forceDestroy: false,
      });
      checks.checkAtPlanOn(zone);
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    } else {
      const zone = new DataAwsRoute53Zone(this, 'zone', { provider, name, privateZone: false });
      checks.checkAtPlanOn(zone);
      this.zoneId = zone.zoneId;
      this.nameServers = [];
    }
  }
}
