import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Fn, TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';

export interface RegionalCertificateRequest {
  /** Provider of the region whose load balancer presents the certificate (ACM certificates are regional). */
  readonly provider: AwsProvider;
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
  readonly certificates: readonly RegionalCertificateRequest[];
}

/**
 * One ACM certificate per region for the same domain, validated through Route 53 DNS, each
 * validation record written once. ACM derives a name's validation record from the account and
 * the name alone, so every region's certificate for `api.example.com` asks for the same CNAME:
 * one resource owns it here instead of one per region, which would let destroying one region
 * delete the record the other regions' automatic renewals still need.
 */
export class DnsValidatedCertificates extends Construct {
  /** Per region, the ARN of the issued certificate (available once validation has succeeded). */
  readonly certificateArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificatesProps) {
    super(scope, id);
    validateProps(this.node.path, props);
    const requests = props.certificates.map((request) => ({
      region: request.provider.region!,
      names: [props.domainName, ...(request.alternativeNames ?? [])],
      certificate: new AcmCertificate(this, `certificate-${request.provider.region}`, {
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
        const option = Fn.one(
          TerraformIterator.fromList(Fn.tolist(certificate.domainValidationOptions)).forExpressionForList(
            `val if val.domain_name == "${name}"`,
          ),
        );
        const record = new Route53Record(this, `validation-${name}`, {
          provider: props.dnsProvider,
          zoneId: props.zoneId,
          name: Fn.lookupNested(option, ['resource_record_name']),
          type: Fn.lookupNested(option, ['resource_record_type']),
          records: [Fn.lookupNested(option, ['resource_record_value'])],
          ttl: 300,
          // A replaced certificate asks for the same record; take it over instead of failing.
          allowOverwrite: true,
        });
        recordFqdns.set(name, record.fqdn);
      }
    }

    this.certificateArns = Object.fromEntries(
      requests.map(({ region, names, certificate }) => [
        region,
        new AcmCertificateValidation(this, `validation-${region}`, {
          provider: certificate.provider as AwsProvider,
          certificateArn: certificate.arn,
          validationRecordFqdns: names.map((name) => recordFqdns.get(name)!),
        }).certificateArn,
      ]),
    );
  }
}

function validateProps(path: string, props: DnsValidatedCertificatesProps): void {
  const problems: string[] = [];
  const regions = props.certificates.map((request) => request.provider.region);
  if (props.certificates.length === 0) problems.push('certificates: needs at least one region');
  if (regions.some((region) => region === undefined))
    problems.push('certificates: every provider must name its region');
  if (new Set(regions).size !== regions.length)
    problems.push(`certificates: a region appears more than once (${regions.join(', ')})`);
  if (problems.length > 0) throw new Error(`DnsValidatedCertificates ${path}:\n  - ${problems.join('\n  - ')}`);
}
