import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Fn, TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { placementProblems, RegionalValues, type RegionPlacement } from '../regions.js';
import { PropChecks } from '../validation.js';

/** A region whose load balancer presents a certificate (ACM certificates are regional). */
export interface CertificateRegion extends RegionPlacement {
  /**
   * Names besides `domainName` the certificate covers, such as `eu-west-1.api.example.com`.
   * @default [] — the shared name only
   */
  readonly alternativeNames?: readonly string[];
}

export interface DnsValidatedCertificatesProps {
  /** The hosted zone that holds `domainName` and every alternative name; validation records go there. */
  readonly zoneId: string;
  /** Provider the validation records are created with (Route 53 is global; any region's works). */
  readonly dnsProvider: AwsProvider;
  /** The name every certificate covers, such as `api.example.com`. */
  readonly domainName: string;
  /** One certificate per region. */
  readonly regions: readonly CertificateRegion[];
}

/** The certificate of one region. */
export interface RegionalCertificate {
  /** The ARN of the issued certificate (available once validation has succeeded). */
  readonly certificateArn: string;
}

/**
 * One ACM certificate per region for the same domain, validated through Route 53 DNS, each
 * validation record written once. ACM derives a name's validation record from the account and
 * the name alone, so every region's certificate for `api.example.com` asks for the same CNAME:
 * one resource owns it here instead of one per region, which would let destroying one region
 * delete the record the other regions' automatic renewals still need.
 */
export class DnsValidatedCertificates extends Construct {
  private readonly regional: RegionalValues<RegionalCertificate>;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificatesProps) {
    super(scope, id);
    validateProps(this, props);
    const requests = props.regions.map((request) => ({
      ...request,
      names: [props.domainName, ...(request.alternativeNames ?? [])],
      certificate: new AcmCertificate(this, `certificate-${request.region}`, {
        provider: request.provider,
        domainName: props.domainName,
        subjectAlternativeNames: [...(request.alternativeNames ?? [])],
        validationMethod: 'DNS',
        keyAlgorithm: 'EC_prime256v1',
        lifecycle: { createBeforeDestroy: true },
      }),
    }));

    const recordFqdns = new Map<string, string>();
    for (const { names, certificate } of requests) {
      for (const name of names) {
        if (recordFqdns.has(name)) continue;
        const option: unknown = Fn.one(
          TerraformIterator.fromList(Fn.tolist(certificate.domainValidationOptions)).forExpressionForList(
            `val if val.domain_name == "${name}"`,
          ),
        );
        const record = new Route53Record(this, `validation-${name}`, {
          provider: props.dnsProvider,
          zoneId: props.zoneId,
          name: Token.asString(Fn.lookupNested(option, ['resource_record_name'])),
          type: Token.asString(Fn.lookupNested(option, ['resource_record_type'])),
          records: [Token.asString(Fn.lookupNested(option, ['resource_record_value']))],
          ttl: 300,
          // A replaced certificate asks for the same record; take it over instead of failing.
          allowOverwrite: true,
        });
        recordFqdns.set(name, record.fqdn);
      }
    }

    this.regional = new RegionalValues(
      `DnsValidatedCertificates ${this.node.path}`,
      requests.map(({ region, provider, names, certificate }) => [
        region,
        {
          certificateArn: new AcmCertificateValidation(this, `validation-${region}`, {
            provider,
            certificateArn: certificate.arn,
            validationRecordFqdns: names.map((name) => fqdnOf(recordFqdns, name)),
            // With the certificate's: a replacement is issued and validated before the old one
            // is touched, so the ARN the app stacks read switches only to an issued certificate.
            lifecycle: { createBeforeDestroy: true },
          }).certificateArn,
        },
      ]),
    );
  }

  /** The certificate of `region`. */
  forRegion(region: string): RegionalCertificate {
    return this.regional.forRegion(region);
  }
}

/** Every name of a certificate got its record above; a missing one is a bug here, not bad input. */
function fqdnOf(recordFqdns: ReadonlyMap<string, string>, name: string): string {
  const fqdn = recordFqdns.get(name);
  if (fqdn === undefined) throw new Error(`DnsValidatedCertificates: no validation record for ${name}`);
  return fqdn;
}

function validateProps(certificates: DnsValidatedCertificates, props: DnsValidatedCertificatesProps): void {
  const checks = new PropChecks(certificates, `DnsValidatedCertificates ${certificates.node.path}`);
  if (props.regions.length === 0) checks.add('regions: needs at least one region');
  const because = 'each name gets its own validation record, named after it';
  checks.add(...placementProblems(props.regions)).known('domainName', props.domainName, because);
  for (const request of props.regions) {
    checks.knownItems(`regions[${request.region}].alternativeNames`, request.alternativeNames ?? [], because);
  }
  checks.throwIfAny();
}
