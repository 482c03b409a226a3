import type { Construct } from 'constructs';
import { DnsValidatedCertificates, type RegionalCertificate } from '../modules/dns-validated-certificates/index.js';
import { regionalName } from '../modules/latency-routing/index.js';
import type { DeploymentConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';
import { hostedZoneIdIn, type ZoneStack } from './zone-stack.js';

/**
 * `certificates`: per region an ACM certificate for the shared name and the region's own name,
 * validated through DNS in the hosted zone. Its own stack, deployed before the app stacks: the
 * load balancers need issued certificates, the validation records need the zone, and the
 * latency records (in `dns`) need the load balancers, so nothing here waits on an app stack.
 */
export class CertificateStack extends DeploymentStack {
  private readonly certificates: DnsValidatedCertificates;

  constructor(scope: Construct, config: DeploymentConfig, zoneStack: ZoneStack | undefined) {
    super(scope, 'certificates', config);
    const dnsProvider = this.providerFor(config.primaryRegion);
    this.certificates = new DnsValidatedCertificates(this, 'certificates', {
      zoneId: hostedZoneIdIn(this, dnsProvider, zoneStack),
      dnsProvider,
      domainName: config.dns.domainName,
      regions: this.regionPlacements().map((placement) => ({
        ...placement,
        alternativeNames: [regionalName(placement.region, config.dns.domainName)],
      })),
    });
  }

  /** The issued certificate of `region`. */
  forRegion(region: string): RegionalCertificate {
    return this.certificates.forRegion(region);
  }
}
